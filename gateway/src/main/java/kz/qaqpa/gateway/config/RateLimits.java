package kz.qaqpa.gateway.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often one client (one remote address) may call the endpoints open to everyone. The authority,
 * with its admin token, is never limited.
 *
 * @param lookups the public look-up, the appeal pages and an appeal's status (reads)
 * @param appeals appeal submissions, by the API and by the form (each attempt counts, refused ones too)
 */
public record RateLimits(Rate lookups, Rate appeals) {

    public static final Setting<Rate> LOOKUPS = Setting.of("rate-limit-lookups", "N/UNIT", Rate::parse, "120/m",
            "Per client address: look-ups, appeal pages and status reads.");
    public static final Setting<Rate> APPEALS = Setting.of("rate-limit-appeals", "N/UNIT", Rate::parse, "20/h",
            "Per client address: appeal submissions.");

    public static RateLimits defaults() {
        return new RateLimits(LOOKUPS.defaultValue(), APPEALS.defaultValue());
    }

    /**
     * At most {@code requests} in any {@code per}, refilled evenly: {@code 120/m} lets a client
     * make 120 calls at once and then one every half second.
     */
    public record Rate(int requests, Duration per) {

        private static final Pattern FORM = Pattern.compile("(\\d{1,9})/(s|m|h|d)");

        public Rate {
            if (requests < 1 || per.isNegative() || per.isZero()) {
                throw new IllegalArgumentException("a rate needs at least one request per positive period");
            }
        }

        /** "120 per minute". */
        /** {@code factor} times as many requests in the same period. */
        public Rate times(int factor) {
            return new Rate(Math.multiplyExact(requests, factor), per);
        }

        public String describe(String what) {
            String period = per.equals(Duration.ofSeconds(1)) ? "second" : per.equals(Duration.ofMinutes(1)) ? "minute"
                    : per.equals(Duration.ofHours(1)) ? "hour" : per.equals(Duration.ofDays(1)) ? "day" : per.toString();
            return requests + " " + what + " per " + period;
        }

        /** Parses {@code N/s}, {@code N/m}, {@code N/h} or {@code N/d}. */
        public static Rate parse(String text) {
            Matcher form = FORM.matcher(text);
            if (!form.matches()) {
                throw new IllegalArgumentException("expected requests per period, such as 120/m (s, m, h or d)");
            }
            Duration per = switch (form.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                default -> Duration.ofDays(1);
            };
            return new Rate(Integer.parseInt(form.group(1)), per);
        }
    }
}
