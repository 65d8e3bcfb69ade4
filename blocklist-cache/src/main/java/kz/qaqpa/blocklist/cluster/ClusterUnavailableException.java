package kz.qaqpa.blocklist.cluster;

/** This process could not start its cluster member or join the cluster. */
public final class ClusterUnavailableException extends RuntimeException {

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
