package kz.qaqpa.blocklist.replica;

/**
 * What a filtering node reports about itself to the cluster.
 *
 * @param id            the node's id
 * @param address       where it answers DNS
 * @param appliedSerial the blocklist serial it enforces
 * @param consistent    whether it holds a consistent state (false: it answers REFUSED)
 * @param reportedAt    when it last reported, epoch milliseconds
 */
public record NodeStatus(String id, String address, long appliedSerial, boolean consistent, long reportedAt) {
}
