package com.anycontact.innolicense.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The hash chain that makes the audit log tamper-evident: every entry carries the hash of the entry before it
 * ({@code prevHash}) and its own ({@code hash}), the SHA-256 of its canonical form ({@link #canonical}), which
 * includes the previous hash. Changing, removing or inserting an entry breaks the chain at that entry or the
 * one after it; removing entries at the end breaks it against the chain head that the store keeps beside the
 * log. {@code docs/audit-log.md} specifies the canonical form and gives a test vector.
 *
 * <p>What it does not do: the hash has no secret, so someone who can write the database and knows this page can
 * recompute the whole chain after an edit. Comparing the head hash with one noted elsewhere (a printout, a
 * ticket, a log shipped off the machine) catches that too.
 *
 * <p>{@link #verifier} checks a chain entry by entry, in ID order, without holding it all in memory.
 */
public final class AuditChain {

    /** The previous hash of the very first entry, and the anchor of a log of which nothing was archived. */
    public static final String GENESIS = "0".repeat(64);

    /** The first line of the canonical form: the version of the format. */
    public static final String VERSION = "innolicense-audit-v1";

    private AuditChain() {}

    /**
     * One entry as stored: what is hashed, and the two hashes it carries.
     *
     * @param id its ID
     * @param atMillis when, in epoch milliseconds
     * @param actor who, as stored
     * @param type the type's name
     * @param detail what, as stored
     * @param prevHash the hash of the entry before, or {@code null} when the row has none
     * @param hash its own hash, or {@code null} when the row has none
     */
    public record Entry(
            long id, long atMillis, String actor, String type, String detail, String prevHash, String hash) {
        /** Requires the hashed fields. */
        public Entry {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(detail, "detail");
        }

        /** The hash this entry should carry, given the previous hash it carries. */
        public String expectedHash() {
            return AuditChain.hash(id, atMillis, actor, type, detail, prevHash == null ? "" : prevHash);
        }
    }

    /**
     * The canonical form of an entry, the bytes hashed: UTF-8 of six lines and the previous hash, each line
     * ended by a line feed ({@code U+000A}): {@value #VERSION}; the ID in decimal; the instant in epoch
     * milliseconds in decimal; the type; the actor's length in UTF-8 bytes, a colon and the actor; the detail's
     * length in UTF-8 bytes, a colon and the detail; then the previous hash (64 lowercase hex digits) without a
     * line end. The lengths make the form unambiguous whatever the actor and detail contain.
     */
    public static byte[] canonical(long id, long atMillis, String actor, String type, String detail, String prevHash) {
        StringBuilder text = new StringBuilder(128 + actor.length() + detail.length());
        text.append(VERSION).append('\n');
        text.append(id).append('\n');
        text.append(atMillis).append('\n');
        text.append(type).append('\n');
        text.append(actor.getBytes(StandardCharsets.UTF_8).length)
                .append(':')
                .append(actor)
                .append('\n');
        text.append(detail.getBytes(StandardCharsets.UTF_8).length)
                .append(':')
                .append(detail)
                .append('\n');
        text.append(prevHash);
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The hash of an entry: SHA-256 of its {@link #canonical} form, 64 lowercase hex digits. */
    public static String hash(long id, long atMillis, String actor, String type, String detail, String prevHash) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonical(id, atMillis, actor, type, detail, prevHash)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A verifier of a chain that starts after the anchor: the entry archived last, or none. */
    public static Verifier verifier(long anchorId, String anchorHash) {
        return new Verifier(anchorId, anchorHash);
    }

    /**
     * Checks entries handed to it in ID order; stops looking at the first that does not fit. Not thread-safe.
     */
    public static final class Verifier {
        private final long anchorId;
        private final String anchorHash;
        private long lastId;
        private String lastHash;
        private long checked;
        private AuditChainReport.Break broken;

        private Verifier(long anchorId, String anchorHash) {
            this.anchorId = anchorId;
            this.anchorHash = Objects.requireNonNull(anchorHash, "anchorHash");
            this.lastId = anchorId;
            this.lastHash = anchorHash;
        }

        /** Whether a break was found, after which further entries are not looked at. */
        public boolean broken() {
            return broken != null;
        }

        /** Checks the next entry. */
        public void accept(Entry entry) {
            if (broken != null) {
                return;
            }
            if (entry.hash() == null || entry.prevHash() == null) {
                fail(entry.id(), "entry " + entry.id() + " carries no hash: it was inserted outside the audit log");
                return;
            }
            if (!entry.prevHash().equals(lastHash)) {
                fail(
                        entry.id(),
                        "entry " + entry.id() + " does not follow "
                                + (lastId == anchorId && checked == 0
                                        ? (anchorId == 0
                                                ? "the start of the log"
                                                : "the archive's last entry " + anchorId)
                                        : "entry " + lastId)
                                + ": the previous hash it carries is not that entry's hash; an entry between them was"
                                + " removed, or this one was inserted or altered");
                return;
            }
            if (!entry.expectedHash().equals(entry.hash())) {
                fail(entry.id(), "entry " + entry.id() + " was altered: its content does not give the hash it carries");
                return;
            }
            lastId = entry.id();
            lastHash = entry.hash();
            checked++;
        }

        /**
         * The report, checking the end of the chain against the head the store keeps, when it keeps one: the last
         * entry must be the head.
         */
        public AuditChainReport finish(Optional<Link> head) {
            if (broken == null && head.isPresent()) {
                Link expected = head.get();
                if (expected.id() != lastId || !expected.hash().equals(lastHash)) {
                    long at = expected.id() > lastId ? lastId + 1 : lastId;
                    fail(
                            at,
                            expected.id() > lastId
                                    ? "the log ends at entry " + lastId + " but its head is entry " + expected.id()
                                            + ": entries at the end were removed"
                                    : "the log's head is entry " + expected.id() + " but it goes on to entry " + lastId
                                            + ": entries were added outside the audit log, or the head was altered");
                }
            }
            return new AuditChainReport(
                    broken == null, checked, anchorId, anchorHash, lastId, lastHash, Optional.ofNullable(broken));
        }

        private void fail(long id, String problem) {
            broken = new AuditChainReport.Break(id, problem);
        }
    }

    /**
     * A position in the chain: the head a store keeps beside the log (the last entry appended), or the anchor
     * (the last entry archived; 0 and {@link #GENESIS} when none was).
     *
     * @param id the entry's ID
     * @param hash its hash
     */
    public record Link(long id, String hash) {
        /** Requires the hash. */
        public Link {
            Objects.requireNonNull(hash, "hash");
        }
    }

    /** Where a store's chain is read from, for {@link #verify(Source)}. */
    public interface Source {
        /** The anchor: the last entry archived, or 0 and {@link #GENESIS}. */
        Link anchor();

        /** The head: the last entry appended, as the store recorded it with the append. */
        Link head();

        /** Up to {@code limit} entries with an ID above {@code afterId}, in ID order. */
        List<Entry> after(long afterId, int limit);
    }

    /** Entries read per page by {@link #verify(Source)}. */
    static final int PAGE = 1000;

    /**
     * Checks a store's whole chain, page by page, while the log may grow: entries are read to the end, then the
     * head; as an append writes its entries and the head in one transaction, a head beyond what was read means
     * appends came meanwhile, which are read on; a head before it means entries that no append wrote.
     */
    public static AuditChainReport verify(Source source) {
        Link anchor = source.anchor();
        Verifier verifier = verifier(anchor.id(), anchor.hash());
        long cursor = anchor.id();
        while (true) {
            List<Entry> page = source.after(cursor, PAGE);
            for (Entry entry : page) {
                verifier.accept(entry);
                cursor = entry.id();
            }
            if (verifier.broken()) {
                return verifier.finish(Optional.empty());
            }
            if (page.size() == PAGE) {
                continue;
            }
            Link head = source.head();
            if (head.id() > cursor && !source.after(cursor, 1).isEmpty()) {
                continue;
            }
            return verifier.finish(Optional.of(head));
        }
    }
}
