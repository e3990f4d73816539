package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.ClientAddresses;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The reverse proxies whose {@code Forwarded} / {@code X-Forwarded-For} / {@code X-Forwarded-Proto} headers are
 * believed ({@code --trusted-proxy CIDR}). A request whose peer (the TCP connection's address) is in none of
 * them is taken as it comes: those headers are ignored, since anyone can send them. A request from a trusted
 * proxy is taken to come from the nearest address in its forwarding chain that is not itself a trusted proxy,
 * and to have been made over HTTPS when the proxy says so.
 *
 * <p>{@code Forwarded} (RFC 7239) is read when present, else {@code X-Forwarded-For} and {@code
 * X-Forwarded-Proto}. Immutable.
 */
public final class TrustedProxies {

    /** What a trusted proxy setting must look like, for error messages. */
    public static final String RULE =
            "an IP address or a CIDR block of the reverse proxy, e.g. 10.0.0.5, 10.0.0.0/8 or fd00::/8";

    /** A block of addresses: the first {@code bits} bits of {@code network}. */
    private record Block(byte[] network, int bits) {
        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }

    private static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    private final List<Block> blocks;
    private final List<String> texts;

    private TrustedProxies(List<Block> blocks, List<String> texts) {
        this.blocks = List.copyOf(blocks);
        this.texts = List.copyOf(texts);
    }

    /** No trusted proxies: the peer's address is the client's, forwarding headers are ignored. */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses blocks such as {@code 10.0.0.5}, {@code 10.0.0.0/8}, {@code fd00::/8}.
     *
     * @throws IllegalArgumentException naming the first one that is not an IP address or CIDR block
     */
    public static TrustedProxies of(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String cidr : cidrs) {
            blocks.add(block(cidr).orElseThrow(() -> new IllegalArgumentException("'" + cidr + "' is not " + RULE)));
            texts.add(cidr.strip());
        }
        return new TrustedProxies(blocks, texts);
    }

    /** Whether the text is an IP address or a CIDR block. */
    public static boolean isValid(String cidr) {
        return block(cidr).isPresent();
    }

    /** The blocks as given. */
    public List<String> blocks() {
        return texts;
    }

    /** The client's address: the peer's, or when the peer is a trusted proxy, the one it forwarded for. */
    public String clientAddress(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> chain = forwardedFor(ctx);
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = chain.get(i);
            if (ClientAddresses.parse(hop).isEmpty()) {
                return i == chain.size() - 1 ? peer : chain.get(i + 1);
            }
            if (!isTrusted(hop)) {
                return ClientAddresses.parse(hop).get().getHostAddress();
            }
        }
        return chain.isEmpty()
                ? peer
                : ClientAddresses.parse(chain.get(0)).get().getHostAddress();
    }

    /** Whether the client reached the server over HTTPS: directly, or through a trusted proxy that says so. */
    public boolean isSecure(Context ctx) {
        if ("https".equalsIgnoreCase(ctx.scheme())) {
            return true;
        }
        if (!isTrusted(ctx.req().getRemoteAddr())) {
            return false;
        }
        String forwarded = ctx.header("Forwarded");
        if (forwarded != null) {
            List<String> protos = parameters(forwarded, "proto");
            return !protos.isEmpty() && "https".equalsIgnoreCase(protos.get(protos.size() - 1));
        }
        String proto = ctx.header("X-Forwarded-Proto");
        if (proto == null) {
            return false;
        }
        String[] hops = proto.split(",");
        return "https".equalsIgnoreCase(hops[hops.length - 1].strip());
    }

    boolean isTrusted(String address) {
        if (blocks.isEmpty()) {
            return false;
        }
        Optional<InetAddress> parsed = ClientAddresses.parse(address);
        return parsed.isPresent() && blocks.stream().anyMatch(block -> block.contains(parsed.get()));
    }

    private static List<String> forwardedFor(Context ctx) {
        String forwarded = ctx.header("Forwarded");
        if (forwarded != null) {
            return parameters(forwarded, "for").stream()
                    .map(TrustedProxies::withoutPort)
                    .toList();
        }
        String xff = ctx.header("X-Forwarded-For");
        if (xff == null) {
            return List.of();
        }
        List<String> hops = new ArrayList<>();
        for (String hop : xff.split(",")) {
            hops.add(withoutPort(hop.strip()));
        }
        return hops;
    }

    /** The values of one parameter in every element of a {@code Forwarded} header, in order. */
    private static List<String> parameters(String header, String name) {
        List<String> values = new ArrayList<>();
        for (String element : header.split(",")) {
            for (String pair : element.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0
                        && pair.substring(0, equals)
                                .strip()
                                .toLowerCase(Locale.ROOT)
                                .equals(name)) {
                    String value = pair.substring(equals + 1).strip();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    values.add(value);
                }
            }
        }
        return values;
    }

    /** {@code [2001:db8::1]:4711} → {@code 2001:db8::1}, {@code 192.0.2.1:4711} → {@code 192.0.2.1}. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(1, end) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    private static Optional<Block> block(String cidr) {
        if (cidr == null) {
            return Optional.empty();
        }
        String text = cidr.strip();
        int slash = text.indexOf('/');
        Optional<InetAddress> address = ClientAddresses.parse(slash < 0 ? text : text.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        byte[] network = address.get().getAddress();
        int bits = network.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (bits < 0 || bits > network.length * 8) {
                return Optional.empty();
            }
        }
        return Optional.of(new Block(network, bits));
    }

    @Override
    public String toString() {
        return texts.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustedProxies that && texts.equals(that.texts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(texts);
    }
}
