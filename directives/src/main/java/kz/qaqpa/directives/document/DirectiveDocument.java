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
 * @param domainSuspension for a RESTRICT, the .KZ/.ҚАЗ registry asked to suspend its domain names
 *                         (seed 000 §16–17): the ground, and a court's term for the remedy if any
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
        Optional<DomainSuspension> domainSuspension,
        Optional<OffsetDateTime> validUntil,
        Optional<DomainBan> domainBan,
        Optional<Order> order) {

    public static final String SCHEMA = "qaqpa.directive/v1";

    /** Whether its targets are restricted (on the list, at the operators): always, but for a suspension that says not. */
    public boolean restrictsAccess() {
        return domainSuspension().map(DomainSuspension::restrictAccess).orElse(true);
    }

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

    /**
     * A request to the registry to suspend the use of the directive's domain names (seed 000 §17),
     * on a ground of §16, with the term a court decision sets for the remedy when it sets one
     * (§19: otherwise 10 working days). {@code restrictAccess} false: the names are only suspended,
     * not restricted on the filtering nodes nor sent to operators.
     */
    public record DomainSuspension(Ground ground, Optional<LocalDate> remedyUntil, boolean restrictAccess) {

        /** The grounds of seed 000 §16, in its order. */
        public enum Ground {
            /** 1) false data of the registrant in the application for registration. */
            FALSE_REGISTRANT_DATA,
            /** 2) malicious software that threatens the safe use of the Internet. */
            MALWARE,
            /** 3) a court decision in force suspending the use of the name. */
            COURT_DECISION,
            /** 4) an information security incident reported and not remedied by the registrant. */
            UNREMEDIED_INCIDENT,
            /** 5) no security certificate (domestic or foreign). */
            NO_SECURITY_CERTIFICATE,
            /** 6) the resource hosted on hardware and software outside Kazakhstan. */
            HOSTED_ABROAD,
            /** 7) phishing reported by an information security operations centre. */
            PHISHING
        }
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
