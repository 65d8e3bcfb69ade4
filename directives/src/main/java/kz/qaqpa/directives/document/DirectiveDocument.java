package kz.qaqpa.directives.document;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.directives.directive.Action;

/**
 * A directive (нұсқама) of the authorised body as its signed JSON document states it, schema
 * {@value #SCHEMA}, after strict parsing and target normalisation.
 *
 * @param number           outgoing number, unique per authority
 * @param issuedAt         date and time of issue, with its offset
 * @param authority        the authorised body (уәкілетті орган) that issued it
 * @param action           RESTRICT or RESTORE
 * @param legalBasis       the law and article it rests on
 * @param targets          what it restricts (RESTRICT) or names as restored (RESTORE; may be empty)
 * @param recipients       the operators it is addressed to; the State Technical Service always is
 * @param cancels          for RESTORE, the directive it cancels
 * @param appeal           for RESTORE, the restoration appeal it answers
 * @param reason           free-text reason
 * @param courtDecision    the court decision it executes, if any
 * @param domainSuspension whether the domain registry is asked to suspend the domains (seed 000)
 * @param validUntil       for a RESTRICT for a period ({@code validUntil}, or {@code restrictFor} — an
 *                         ISO-8601 period such as P3M — from {@code issuedAt}), when it ends
 * @param domainBan        for a RESTRICT, the ban on its domain names it carries out (seed 002 art. 21), if any
 * @param order            for RESTORE, the restoration order operators read (seed 003, appendix):
 *                         required when it answers an appeal, so the authority's signature covers
 *                         the text; its outgoing number and date are the directive's own
 */
public record DirectiveDocument(
        String number,
        OffsetDateTime issuedAt,
        Authority authority,
        Action action,
        String legalBasis,
        List<TargetEntry> targets,
        Recipients recipients,
        Optional<CancelledDirective> cancels,
        Optional<String> appeal,
        Optional<String> reason,
        Optional<CourtDecision> courtDecision,
        boolean domainSuspension,
        Optional<OffsetDateTime> validUntil,
        Optional<DomainBan> domainBan,
        Optional<Order> order) {

    public static final String SCHEMA = "qaqpa.directive/v1";

    public DirectiveDocument {
        targets = List.copyOf(targets);
    }

    /**
     * The authorised body: its name, business identification number (BIN), and its full name in
     * Kazakh and in Russian when the document gives them ({@link AuthorityNames}).
     */
    public record Authority(String name, String bin, Optional<String> nameKk, Optional<String> nameRu) {
    }

    /** The directive a RESTORE cancels, by its outgoing number and date of issue. */
    public record CancelledDirective(String number, LocalDate date) {
    }

    /** The court decision a directive executes. */
    public record CourtDecision(String court, String number, LocalDate date) {
    }

    /**
     * The restoration order (тапсырма / поручение) of seed 003's appendix, as the authority signs it:
     * who signs, to whom, the resources and links access resumes to, and the order's text in
     * Kazakh and in Russian.
     */
    public record Order(String signatory, List<String> addressees, List<String> resources, List<String> links,
                        String kazakh, String russian) {

        public Order {
            addressees = List.copyOf(addressees);
            resources = List.copyOf(resources);
            links = List.copyOf(links);
        }
    }

    /**
     * A ban on domain names (seed 002 art. 21): SUSPENDED — their use banned for the directive's
     * period, three months at most — or ANNULLED — their registration annulled and registering them
     * again banned for a year from the directive's issue. {@code until} is when the ban ends.
     */
    public record DomainBan(Kind kind, OffsetDateTime until) {

        /** What the court (or the law) ordered for the names. */
        public enum Kind { SUSPENDED, ANNULLED }
    }

    /** Who a directive is addressed to: every operator, or the listed ones. */
    public record Recipients(boolean all, List<String> operatorIds) {

        public Recipients {
            operatorIds = List.copyOf(operatorIds);
        }

        public static Recipients everyone() {
            return new Recipients(true, List.of());
        }
    }
}
