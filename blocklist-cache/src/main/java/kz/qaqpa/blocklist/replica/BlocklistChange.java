package kz.qaqpa.blocklist.replica;

/**
 * One change of the blocklist as the cluster carries it (Hazelcast compact serialisation of a
 * record: no registration needed).
 *
 * @param serial            its serial in the gateway's change log
 * @param add               true when the target is restricted from this serial on (it enters the
 *                          blocklist, or stays under another directive), false when it leaves
 * @param kind              DOMAIN, URL, IP, CIDR or APP
 * @param key               the target's blocklist key
 * @param value             its normalised value
 * @param includeSubdomains for a domain, whether everything below it is restricted
 * @param hostHint          for a URL, its host; null otherwise
 * @param directive         adding: the number of the directive the target is enforced under;
 *                          removing: the RESTORE that lifted it
 */
public record BlocklistChange(long serial, boolean add, String kind, String key, String value,
                              boolean includeSubdomains, String hostHint, String directive) {

    private static final String RELOAD = "RELOAD";

    /**
     * A marker the publisher writes after loading the cluster's map whole at {@code serial}: a
     * reader behind it cannot get there change by change and must take a snapshot.
     */
    static BlocklistChange reload(long serial) {
        return new BlocklistChange(serial, false, RELOAD, "", "", false, null, "");
    }

    boolean isReload() {
        return RELOAD.equals(kind);
    }
}
