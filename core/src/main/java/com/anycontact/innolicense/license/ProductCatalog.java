package com.anycontact.innolicense.license;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The innoACD apps and functions a license can grant. The names are the feature codes that appear in
 * license keys and orders; {@code docs/product-catalog.md} describes each.
 */
public final class ProductCatalog {

    private static final Map<String, String> FEATURES = new LinkedHashMap<>();

    static {
        FEATURES.put("ACD", "Automatic call distribution: queues, skills, routing");
        FEATURES.put("IVR", "Interactive voice response flows");
        FEATURES.put("RECORDING", "Call and screen recording");
        FEATURES.put("REPORTING", "Historical reports and exports");
        FEATURES.put("CHAT", "Web chat channel");
        FEATURES.put("EMAIL", "E-mail channel");
        FEATURES.put("OUTBOUND", "Outbound campaigns and dialer");
        FEATURES.put("WFM", "Workforce management: forecasting and scheduling");
        FEATURES.put("CALLBACK", "Scheduled and queued callbacks");
        FEATURES.put("SMS", "SMS channel");
        FEATURES.put("QUALITY", "Quality management: evaluations of recorded contacts");
        FEATURES.put("CRM", "CRM connectors");
    }

    private ProductCatalog() {}

    /** Every feature code of the catalog, sorted. */
    public static SortedSet<String> features() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(FEATURES.keySet()));
    }

    /** Whether the code names a feature of the catalog. */
    public static boolean contains(String feature) {
        return FEATURES.containsKey(feature);
    }

    /** The one-line description of a feature, or the code itself when it is not in the catalog. */
    public static String describe(String feature) {
        return FEATURES.getOrDefault(feature, feature);
    }

    /** Feature codes and descriptions in catalog order. */
    public static Map<String, String> descriptions() {
        return Collections.unmodifiableMap(FEATURES);
    }
}
