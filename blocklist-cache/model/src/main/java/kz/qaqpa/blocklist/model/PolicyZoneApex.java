package kz.qaqpa.blocklist.model;

/**
 * The apex of the response policy zone — its SOA and NS — in one place, as text: the rpz file
 * operators pull writes it, zone transfers and the filtering node's negative answers send the same
 * values on the wire ({@code ZoneApex}).
 */
public final class PolicyZoneApex {

    /** The zone's origin unless configured otherwise ({@code rpz-origin}). */
    public static final String DEFAULT_ORIGIN = "rpz.qaqpa.";
    /** The TTL of the zone's records, and the negative TTL its SOA gives. */
    public static final long TTL = 60;
    /** The zone's nominal primary: its NS and the SOA's MNAME (RPZ is never resolved through it). */
    public static final String PRIMARY = "localhost.";
    public static final String MAILBOX = "hostmaster.localhost.";
    public static final int REFRESH = 3600;
    public static final int RETRY = 600;
    public static final int EXPIRE = 604800;

    private PolicyZoneApex() {
    }

    /** The apex in zone-file form ({@code @ IN SOA …} and {@code @ IN NS …}) at a serial ({@link Serial#soa}). */
    public static String text(long serial) {
        return "@ IN SOA " + PRIMARY + " " + MAILBOX + " " + Serial.soa(serial) + " " + REFRESH + " " + RETRY + " "
                + EXPIRE + " " + TTL + "\n@ IN NS " + PRIMARY + "\n";
    }
}
