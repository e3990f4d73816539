package com.anycontact.innolicense.access;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Client addresses as the login throttle counts them: an IPv4 address on its own, an IPv6 address by its /64
 * prefix (one subscriber usually gets a whole /64, so counting addresses one by one would let one attacker
 * spread guesses over 2<sup>64</sup> of them).
 */
public final class ClientAddresses {

    /** An IP address literal (IPv4 digits and dots, or IPv6 with colons): never a host name, so never DNS. */
    private static final Pattern LITERAL = Pattern.compile("[0-9.]{7,15}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private static final int MAX_KEY_LENGTH = 128;

    private ClientAddresses() {}

    /**
     * The IP address written in {@code text} ({@code 192.0.2.1}, {@code 2001:db8::1}, {@code [2001:db8::1]}),
     * without asking DNS.
     *
     * @return empty when the text is not an IP address literal
     */
    public static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String literal = text.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        if (!LITERAL.matcher(literal).matches() || literal.length() > 45) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * The group an address is counted in: the IPv4 address itself (also when written as an IPv4-mapped IPv6
     * address), the /64 of an IPv6 address ({@code 2001:db8:1:2::/64}), or, for text that is no IP address,
     * the text itself cut to 128 characters.
     */
    public static String group(String address) {
        Optional<InetAddress> parsed = parse(address);
        if (parsed.isEmpty()) {
            String text = address == null ? "" : address;
            return text.length() > MAX_KEY_LENGTH ? text.substring(0, MAX_KEY_LENGTH) : text;
        }
        InetAddress ip = parsed.get();
        if (ip instanceof Inet4Address) {
            return ip.getHostAddress();
        }
        byte[] bytes = ip.getAddress();
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
                    .append(':');
        }
        return prefix.append(":/64").toString();
    }
}
