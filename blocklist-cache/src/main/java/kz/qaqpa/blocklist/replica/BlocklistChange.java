package kz.qaqpa.blocklist.replica;

/**
 * One change of the blocklist as the cluster carries it (Hazelcast compact serialisation of a
 * record: no registration needed).
 *
 * @param serial            its serial in the gateway's change log
 * @param add               true when the target enters the blocklist, false when it leaves
 * @param kind              DOMAIN, URL, IP, CIDR or APP
 * @param key               the target's blocklist key
 * @param value             its normalised value
 * @param includeSubdomains for a domain, whether everything below it is restricted
 * @param hostHint          for a URL, its host; null otherwise
 * @param directive         the number of the directive that made the change
 */
public record BlocklistChange(long serial, boolean add, String kind, String key, String value,
                              boolean includeSubdomains, String hostHint, String directive) {
}
