package kz.qaqpa.pull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.BlocklistLines;
import kz.qaqpa.blocklist.model.PolicyZoneApex;
import kz.qaqpa.blocklist.model.TargetKind;

/**
 * The forms in which the list is served and kept, each made from the canonical snapshot line by
 * line, so that none needs the list in memory.
 */
public enum FeedFormat {

    /** The canonical snapshot itself (see {@link Canonical}). */
    JSONL("jsonl", "application/jsonl"),
    /** RFC 4180, header {@code type,value,includeSubdomains,host,directive,since}, CRLF line ends. */
    CSV("csv", "text/csv; charset=utf-8"),
    /**
     * A DNS response policy zone: SOA serial = the list's serial (mod 2^32, RFC 1982), {@code name
     * CNAME .} (NXDOMAIN) for a name and, when its subdomains are restricted, {@code *.name CNAME .};
     * {@code rpz-ip} triggers for addresses and networks. URLs and applications have no RPZ form.
     */
    RPZ("rpz", "text/dns"),
    /** One restricted domain name per line (a name restricted with its subdomains too is listed once as itself). */
    DOMAINS("domains", "text/plain; charset=utf-8"),
    /**
     * The server names whose TLS connections a filter refuses, one per line: each restricted domain,
     * and {@code *.name} too for one restricted with its subdomains (the RPZ's owner names). Hosts of
     * URL targets are not among them: TLS hides the path (see {@code --url-hosts-over-tls}).
     */
    SNI_HOSTS("sni-hosts", "text/plain; charset=utf-8"),
    /** One restricted URL per line, as the directive parser normalised it (for DPI and proxy URL lists). */
    URLS("urls", "text/plain; charset=utf-8"),
    /** One restricted address or network per line ({@code 203.0.113.7}, {@code 2001:db8::/32}). */
    ADDRESSES("addresses", "text/plain; charset=utf-8"),
    /**
     * An nftables script ({@code nft -f}): table {@code inet qaqpa} replaced in one transaction, with
     * the restricted addresses and networks in two interval sets ({@code restricted_v4},
     * {@code restricted_v6}) and chains that drop packets to them when forwarded (subscribers'
     * traffic) and when sent by the host itself.
     */
    NFT("nft", "text/plain; charset=utf-8");

    /** The header every feed answer carries: the list's serial the answer is at. */
    public static final String SERIAL_HEADER = "Blocklist-Serial";

    private final String name;
    private final String mediaType;

    FeedFormat(String name, String mediaType) {
        this.name = name;
        this.mediaType = mediaType;
    }

    /** The name used in {@code ?format=} and as the file extension. */
    public String formatName() {
        return name;
    }

    public String mediaType() {
        return mediaType;
    }

    /** Every format's name, for messages: {@code jsonl, csv, …}. */
    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(FeedFormat::formatName).toList());
    }

    public static Optional<FeedFormat> named(String name) {
        for (FeedFormat format : values()) {
            if (format.name.equalsIgnoreCase(name)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** The format an {@code Accept} header asks for, when it names one of ours. */
    public static Optional<FeedFormat> accepted(String accept) {
        if (accept == null) {
            return Optional.empty();
        }
        for (String range : accept.split(",")) {
            String type = range.split(";")[0].strip().toLowerCase(Locale.ROOT);
            for (FeedFormat format : values()) {
                if (format.mediaType.split(";")[0].equals(type)) {
                    return Optional.of(format);
                }
            }
            if (type.equals("application/x-ndjson")) {
                return Optional.of(JSONL);
            }
        }
        return Optional.empty();
    }

    /** Writes the canonical snapshot at {@code serial} in this format. */
    public void render(Path canonical, long serial, String rpzOrigin, Writer out) throws IOException {
        if (this == RPZ) {
            out.write("$ORIGIN " + rpzOrigin + "\n$TTL " + PolicyZoneApex.TTL + "\n");
            out.write(PolicyZoneApex.text(serial));
        } else if (this == CSV) {
            out.write("type,value,includeSubdomains,host,directive,since\r\n");
        }
        switch (this) {
            // A record or a name that two entries make is written once (see DistinctNames).
            case RPZ -> DistinctNames.forEach(canonical, FeedFormat::rpzOwners, owner -> out.write(owner + " CNAME .\n"));
            case DOMAINS -> DistinctNames.forEach(canonical, FeedFormat::domainName, name -> out.write(name + "\n"));
            case SNI_HOSTS -> DistinctNames.forEach(canonical, entry -> entry.kind() == TargetKind.DOMAIN ? rpzOwners(entry)
                    : List.of(), name -> out.write(name + "\n"));
            case URLS -> DistinctNames.forEach(canonical, entry -> entry.kind() == TargetKind.URL ? List.of(entry.value())
                    : List.of(), url -> out.write(url + "\n"));
            case ADDRESSES -> DistinctNames.forEach(canonical, entry -> address(entry, 0), address -> out.write(address + "\n"));
            case NFT -> nft(canonical, serial, out);
            default -> {
                try (BufferedReader in = Files.newBufferedReader(canonical, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (this == JSONL) {
                            out.write(line);
                            out.write('\n');
                        } else {
                            BlocklistEntry entry = BlocklistLines.entry(line);
                            out.write(String.join(",", csvCell(entry.kind().name()), csvCell(entry.value()),
                                    String.valueOf(entry.includeSubdomains()), csvCell(entry.host().orElse("")),
                                    csvCell(entry.directive()), String.valueOf(entry.since())) + "\r\n");
                        }
                    }
                }
            }
        }
    }

    /** The address or network an entry restricts: of IP version {@code version} (4 or 6), or of either with 0. */
    private static List<String> address(BlocklistEntry entry, int version) {
        if (entry.kind() != TargetKind.IP && entry.kind() != TargetKind.CIDR) {
            return List.of();
        }
        boolean v6 = entry.value().indexOf(':') >= 0;
        return version == 0 || (version == 6) == v6 ? List.of(entry.value()) : List.of();
    }

    /** The {@link #NFT} form: sets of the restricted addresses by version, and the chains that drop packets to them. */
    private static void nft(Path canonical, long serial, Writer out) throws IOException {
        out.write("#!/usr/sbin/nft -f\n# Qaqpa: the restricted addresses and networks at serial " + serial + ".\n"
                + "# nft -f this file replaces table inet qaqpa in one transaction.\n"
                + "table inet qaqpa\ndelete table inet qaqpa\ntable inet qaqpa {\n");
        for (int version : new int[] {4, 6}) {
            out.write("\tset restricted_v" + version + " {\n\t\ttype ipv" + version + "_addr\n\t\tflags interval\n\t\tauto-merge\n");
            boolean[] any = {false};
            DistinctNames.forEach(canonical, entry -> address(entry, version), element -> {
                out.write(any[0] ? ",\n\t\t\t" : "\t\telements = {\n\t\t\t");
                out.write(element);
                any[0] = true;
            });
            out.write(any[0] ? "\n\t\t}\n\t}\n" : "\t}\n");
        }
        for (String hook : new String[] {"forward", "output"}) {
            out.write("\tchain " + hook + " {\n\t\ttype filter hook " + hook + " priority filter - 10; policy accept;\n"
                    + "\t\tip daddr @restricted_v4 counter drop\n\t\tip6 daddr @restricted_v6 counter drop\n\t}\n");
        }
        out.write("}\n");
    }

    /** The restricted domain name an entry lists in the {@code domains} form: itself, whether or not with its subdomains. */
    private static List<String> domainName(BlocklistEntry entry) {
        return entry.kind() == TargetKind.DOMAIN ? List.of(entry.value()) : List.of();
    }

    /** The RPZ owner names that trigger on an entry (relative to the zone's origin). */
    public static List<String> rpzOwners(BlocklistEntry entry) {
        List<String> owners = new ArrayList<>(2);
        switch (entry.kind()) {
            case DOMAIN -> {
                owners.add(entry.value());
                if (entry.includeSubdomains()) {
                    owners.add("*." + entry.value());
                }
            }
            case IP -> owners.add(rpzIp(entry.value(), -1));
            case CIDR -> {
                int slash = entry.value().indexOf('/');
                owners.add(rpzIp(entry.value().substring(0, slash), Integer.parseInt(entry.value().substring(slash + 1))));
            }
            case URL, APP -> {
                // URLs and applications cannot be expressed as DNS policy.
            }
        }
        return owners;
    }

    /**
     * The keys of every entry that makes the RPZ owner {@code owner} of {@code entry} (one of
     * {@link #rpzOwners}), {@code entry}'s own among them: {@code name} is made by the name alone and
     * with its subdomains, {@code *.name} only by the latter; an address's trigger by the address and
     * by the network of its full length, and the other way round.
     */
    public static List<String> rpzMakers(BlocklistEntry entry, String owner) {
        String full = entry.value().indexOf(':') >= 0 ? "128" : "32";
        return switch (entry.kind()) {
            case DOMAIN -> owner.startsWith("*.") ? List.of(BlocklistKey.domain(entry.value(), true))
                    : List.of(BlocklistKey.domain(entry.value(), false), BlocklistKey.domain(entry.value(), true));
            case IP -> List.of(entry.key(), BlocklistKey.of(TargetKind.CIDR, entry.value() + "/" + full, false));
            case CIDR -> {
                int slash = entry.value().indexOf('/');
                yield entry.value().substring(slash + 1).equals(full)
                        ? List.of(entry.key(), BlocklistKey.of(TargetKind.IP, entry.value().substring(0, slash), false))
                        : List.of(entry.key());
            }
            case URL, APP -> List.of(entry.key());
        };
    }

    /** {@code 24.0.113.0.203.rpz-ip}, {@code 128.1.zz.db8.2001.rpz-ip}: prefix length, then the address reversed. */
    static String rpzIp(String literal, int prefixLength) {
        byte[] address;
        try {
            address = InetAddress.getByName(literal).getAddress(); // a normalised literal: parsed, never looked up
        } catch (IOException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
        StringBuilder owner = new StringBuilder();
        if (address.length == 4) {
            owner.append(prefixLength < 0 ? 32 : prefixLength);
            for (int i = 3; i >= 0; i--) {
                owner.append('.').append(address[i] & 0xff);
            }
        } else {
            owner.append(prefixLength < 0 ? 128 : prefixLength);
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = (address[2 * i] & 0xff) << 8 | (address[2 * i + 1] & 0xff);
            }
            // The longest run of two or more zero groups is written "zz", as "::" would be.
            int runStart = -1;
            int runLength = 0;
            for (int i = 0; i < 8; ) {
                if (groups[i] != 0) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > runLength && j - i >= 2) {
                    runStart = i;
                    runLength = j - i;
                }
                i = j;
            }
            for (int i = 7; i >= 0; i--) {
                if (i >= runStart && i < runStart + runLength) {
                    if (i == runStart) {
                        owner.append(".zz");
                    }
                    continue;
                }
                owner.append('.').append(Integer.toHexString(groups[i]));
            }
        }
        return owner.append(".rpz-ip").toString();
    }

    /**
     * One CSV cell (RFC 4180). A cell a spreadsheet would read as a formula — starting with
     * {@code = + - @}, a tab or a carriage return — gets a leading apostrophe (CSV injection: a
     * directive number such as {@code =HYPERLINK(…)} must stay text on an operator's screen).
     */
    public static String csvCell(String value) {
        String cell = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\r') < 0 && cell.indexOf('\n') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
