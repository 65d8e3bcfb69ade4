package kz.qaqpa.directives.document;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import kz.qaqpa.blocklist.model.TargetKind;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.document.DirectiveDocument.Authority;
import kz.qaqpa.directives.document.DirectiveDocument.CancelledDirective;
import kz.qaqpa.directives.document.DirectiveDocument.CourtDecision;
import kz.qaqpa.directives.document.DirectiveDocument.DomainBan;
import kz.qaqpa.directives.document.DirectiveDocument.DomainSuspension;
import kz.qaqpa.directives.document.DirectiveDocument.Order;
import kz.qaqpa.directives.document.DirectiveDocument.Recipients;
import kz.qaqpa.directives.document.InvalidDocumentException.Kind;
import kz.qaqpa.directives.identity.IdentificationNumber;
import kz.qaqpa.directives.targets.AppStore;
import kz.qaqpa.directives.targets.CollateralGuard;
import kz.qaqpa.directives.targets.DomainTarget;
import kz.qaqpa.directives.targets.InvalidTargetException;
import kz.qaqpa.directives.targets.KazakhZones;
import kz.qaqpa.directives.targets.Target;
import kz.qaqpa.directives.targets.TargetNormaliser;

/**
 * Parses a {@code qaqpa.directive/v1} document strictly: UTF-8 only, no duplicate keys, no unknown
 * fields, bounded nesting, and every missing or wrong field reported by its JSON Pointer. Targets
 * are normalised here, once.
 */
public final class DirectiveParser {

    /** Default upper bound of targets in one directive; configurable. */
    public static final int DEFAULT_MAX_TARGETS = 100_000;

    /** Violations reported at most, so that a hostile document cannot make the answer huge. */
    private static final int MAX_VIOLATIONS = 50;
    /** A directive dated later than this is a mistake or a forgery. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);
    private static final Pattern OPERATOR_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(8)
                            .maxStringLength(1 << 20)
                            .maxNumberLength(32)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Seed 002 art. 21: a domain name's use is suspended for three months at most. */
    private static final int MAX_SUSPENSION_MONTHS = 3;
    /** Seed 002 art. 21: an annulled name may not be registered again for a year. */
    private static final int ANNULMENT_BAN_YEARS = 1;
    /** The longest period a RESTRICT may be for, in months. */
    private static final int MAX_PERIOD_MONTHS = 120;
    /** Most acknowledgements of collateral targets one directive may carry. */
    private static final int MAX_ACKNOWLEDGEMENTS = 1_000;

    private final int maxTargets;
    private final CollateralGuard guard;
    private final Clock clock;

    public DirectiveParser(int maxTargets, CollateralGuard guard, Clock clock) {
        this.maxTargets = maxTargets;
        this.guard = guard;
        this.clock = clock;
    }

    /** With the collateral guard's defaults. */
    public DirectiveParser(int maxTargets, Clock clock) {
        this(maxTargets, CollateralGuard.defaults(), clock);
    }

    /**
     * Parses and checks a document.
     *
     * @throws InvalidDocumentException with every violation found (up to a bound)
     */
    public DirectiveDocument parse(byte[] document) {
        ObjectNode root = readObject(document);
        List<Violation> violations = new ArrayList<>();
        FieldReader fields = new FieldReader(root, "", violations);

        fields.text("schema", true, 64).ifPresent(schema -> {
            if (!schema.equals(DirectiveDocument.SCHEMA)) {
                fields.violation("schema", "must be \"" + DirectiveDocument.SCHEMA + "\"");
            }
        });
        Optional<String> number = fields.text("number", true, 64);
        Optional<OffsetDateTime> issuedAt = fields.dateTime("issuedAt", true);
        issuedAt.ifPresent(at -> {
            if (at.toInstant().isAfter(clock.instant().plus(CLOCK_SKEW))) {
                fields.violation("issuedAt", "is in the future");
            }
        });
        Optional<Authority> authority = fields.object("authority", true).flatMap(DirectiveParser::authority);
        Optional<Action> action = fields.constant("action", true, Action.class);
        Optional<String> legalBasis = fields.text("legalBasis", true, 2_000);
        Optional<Recipients> recipients = recipients(fields);
        Optional<String> reason = fields.text("reason", false, 4_000);
        Optional<CourtDecision> courtDecision = fields.object("courtDecision", false).flatMap(DirectiveParser::courtDecision);

        boolean restore = action.filter(Action.RESTORE::equals).isPresent();
        Optional<CancelledDirective> cancels = Optional.empty();
        Optional<String> appeal = Optional.empty();
        Optional<Order> order = Optional.empty();
        Optional<OffsetDateTime> validUntil = Optional.empty();
        Optional<DomainBan> domainBan = Optional.empty();
        Optional<DomainSuspension> domainSuspension = Optional.empty();
        Map<String, String> acknowledged = Map.of();
        if (restore) {
            cancels = fields.object("cancels", true).flatMap(DirectiveParser::cancelled);
            appeal = fields.text("appeal", false, 64);
            // Seed 003 §6: the order that answers an appeal is what operators read; it is signed with the RESTORE.
            order = fields.object("order", appeal.isPresent()).flatMap(DirectiveParser::order);
            if (fields.has("acknowledgeCollateral")) {
                fields.violation("acknowledgeCollateral", "is only for RESTRICT");
            }
            fields.raw("acknowledgeCollateral", false);
            for (String field : List.of("validUntil", "restrictFor", "domainBan", "domainSuspension", "suspensionGround",
                    "remedyUntil", "restrictAccess")) {
                if (fields.has(field)) {
                    fields.violation(field, "is only for RESTRICT");
                }
                fields.raw(field, false);
            }
        } else if (action.isPresent()) {
            validUntil = validUntil(fields, issuedAt);
            domainBan = domainBan(fields, issuedAt, validUntil);
            domainSuspension = domainSuspension(fields, courtDecision);
            acknowledged = acknowledgements(fields, violations);
            if (fields.has("cancels")) {
                fields.violation("cancels", "is only for RESTORE");
            }
            if (fields.has("appeal")) {
                fields.violation("appeal", "is only for RESTORE");
            }
            if (fields.has("order")) {
                fields.violation("order", "is only for RESTORE");
            }
            fields.raw("cancels", false);
            fields.raw("appeal", false);
            fields.raw("order", false);
        }

        Optional<ArrayNode> targetArray = fields.array("targets", !restore);
        if (targetArray.isPresent() && targetArray.get().size() > maxTargets) {
            throw new InvalidDocumentException(Kind.TOO_MANY_TARGETS, List.of(new Violation("/targets",
                    targetArray.get().size() + " targets; one directive may carry at most " + maxTargets)));
        }
        if (!restore && targetArray.isPresent() && targetArray.get().isEmpty()) {
            fields.violation("targets", "must name at least one target");
        }
        fields.rejectUnknownFields();

        List<Violation> unusable = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        List<TargetEntry> parsed = targetArray.map(array -> targets(array, violations, unusable, pointers)).orElse(List.of());
        if (!violations.isEmpty()) {
            violations.addAll(unusable);
            throw new InvalidDocumentException(Kind.INVALID, bounded(violations));
        }
        if (!unusable.isEmpty()) {
            throw new InvalidDocumentException(Kind.INVALID_TARGET, bounded(unusable));
        }
        List<TargetEntry> targets = restore ? parsed : guarded(parsed, pointers, acknowledged);
        if (domainBan.isPresent() && targets.stream().noneMatch(entry -> entry.target() instanceof DomainTarget)) {
            throw new InvalidDocumentException(Kind.INVALID, List.of(new Violation("/domainBan",
                    "bans domain names, and the directive names none among its targets")));
        }
        if (domainSuspension.isPresent()) {
            List<String> names = targets.stream().map(TargetEntry::target).filter(DomainTarget.class::isInstance)
                    .map(target -> ((DomainTarget) target).name()).toList();
            List<String> outside = names.stream().filter(name -> !KazakhZones.covers(name)).toList();
            if (names.isEmpty() || !outside.isEmpty()) {
                throw new InvalidDocumentException(Kind.INVALID, List.of(new Violation("/domainSuspension",
                        "asks the .KZ/.ҚАЗ registry to suspend the directive's domain names: every one must be a name"
                                + " under kz or қаз, and one at least" + (outside.isEmpty() ? "" : "; not " + outside))));
            }
        }
        return new DirectiveDocument(number.orElseThrow(), issuedAt.orElseThrow(), authority.orElseThrow(),
                action.orElseThrow(), legalBasis.orElseThrow(), targets, recipients.orElseThrow(), cancels, appeal,
                reason, courtDecision, domainSuspension, validUntil, domainBan, order);
    }

    /**
     * {@code "domainBan": "SUSPENDED" | "ANNULLED"} (seed 002 art. 21): a suspension lasts the
     * directive's period, which must be given and be three months at most; an annulment bans the
     * names' registration for a year from the directive's issue.
     */
    private static Optional<DomainBan> domainBan(FieldReader fields, Optional<OffsetDateTime> issuedAt,
                                                 Optional<OffsetDateTime> validUntil) {
        Optional<DomainBan.Kind> kind = fields.constant("domainBan", false, DomainBan.Kind.class);
        if (kind.isEmpty() || issuedAt.isEmpty()) {
            return Optional.empty();
        }
        if (kind.get() == DomainBan.Kind.SUSPENDED) {
            if (validUntil.isEmpty() || validUntil.get().isAfter(issuedAt.get().plusMonths(MAX_SUSPENSION_MONTHS))) {
                fields.violation("domainBan", "a suspension lasts the directive's period (validUntil or restrictFor),"
                        + " " + MAX_SUSPENSION_MONTHS + " months at most");
                return Optional.empty();
            }
            return Optional.of(new DomainBan(kind.get(), validUntil.get()));
        }
        return Optional.of(new DomainBan(kind.get(), issuedAt.get().plusYears(ANNULMENT_BAN_YEARS)));
    }

    /**
     * When a RESTRICT for a period ends: {@code validUntil}, or {@code issuedAt} plus {@code restrictFor}
     * (an ISO-8601 period of days, months or years, such as P3M), one of them at most, after its issue.
     */
    private static Optional<OffsetDateTime> validUntil(FieldReader fields, Optional<OffsetDateTime> issuedAt) {
        Optional<OffsetDateTime> until = fields.dateTime("validUntil", false);
        Optional<Period> period = fields.text("restrictFor", false, 16).flatMap(text -> {
            try {
                Period parsed = Period.parse(text);
                if (parsed.isNegative() || parsed.isZero() || parsed.toTotalMonths() > MAX_PERIOD_MONTHS) {
                    fields.violation("restrictFor", "must be a positive period of at most " + MAX_PERIOD_MONTHS / 12
                            + " years");
                    return Optional.empty();
                }
                return Optional.of(parsed);
            } catch (DateTimeParseException e) {
                fields.violation("restrictFor", "must be an ISO-8601 period, such as P3M or P90D");
                return Optional.empty();
            }
        });
        if (until.isPresent() && period.isPresent()) {
            fields.violation("restrictFor", "give validUntil or restrictFor, not both");
            return Optional.empty();
        }
        Optional<OffsetDateTime> ends = until.or(() -> period.flatMap(p -> issuedAt.map(at -> at.plus(p))));
        if (ends.isPresent() && issuedAt.isPresent() && !ends.get().isAfter(issuedAt.get())) {
            fields.violation(until.isPresent() ? "validUntil" : "restrictFor", "must end after issuedAt");
            return Optional.empty();
        }
        return ends;
    }

    private static ObjectNode readObject(byte[] document) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(document))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("the document is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw malformed("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw malformed("the document must be a JSON object");
        }
        return (ObjectNode) root;
    }

    private static InvalidDocumentException malformed(String detail) {
        return new InvalidDocumentException(Kind.MALFORMED, List.of(new Violation("", detail)));
    }

    /**
     * The targets a directive acknowledges would restrict far more than one resource, each in the
     * form targets' values take, mapped to where it was written.
     */
    private static Map<String, String> acknowledgements(FieldReader fields, List<Violation> violations) {
        Optional<ArrayNode> array = fields.array("acknowledgeCollateral", false);
        if (array.isEmpty()) {
            return Map.of();
        }
        if (array.get().isEmpty() || array.get().size() > MAX_ACKNOWLEDGEMENTS) {
            fields.violation("acknowledgeCollateral", "must name 1 to " + MAX_ACKNOWLEDGEMENTS + " targets");
            return Map.of();
        }
        Map<String, String> acknowledged = new LinkedHashMap<>();
        for (int i = 0; i < array.get().size(); i++) {
            JsonNode entry = array.get().get(i);
            String pointer = fields.pointer("acknowledgeCollateral") + "/" + i;
            if (!entry.isTextual() || entry.textValue().isBlank() || entry.textValue().length() > 255) {
                violations.add(new Violation(pointer, "must be a name, an address or a network as a target writes it"));
                continue;
            }
            try {
                acknowledged.putIfAbsent(CollateralGuard.acknowledgement(entry.textValue()), pointer);
            } catch (InvalidTargetException e) {
                violations.add(new Violation(pointer, e.getMessage()));
            }
        }
        return acknowledged;
    }

    /**
     * Each target a collateral rule stops: refused unless acknowledged, and then marked with the
     * rule; every acknowledgement must name a target of the directive.
     */
    private List<TargetEntry> guarded(List<TargetEntry> targets, List<String> pointers, Map<String, String> acknowledged) {
        List<Violation> refused = new ArrayList<>();
        Set<String> used = new HashSet<>();
        List<TargetEntry> marked = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            TargetEntry entry = targets.get(i);
            Optional<CollateralGuard.Finding> finding = guard.check(entry.target());
            if (finding.isEmpty()) {
                marked.add(entry);
                used.add(entry.target().value());
            } else if (acknowledged.containsKey(entry.target().value())) {
                marked.add(new TargetEntry(entry.target(), entry.original(), Optional.of(finding.get().rule())));
                used.add(entry.target().value());
            } else if (refused.size() < MAX_VIOLATIONS) {
                refused.add(new Violation(pointers.get(i), finding.get().detail()));
            }
        }
        acknowledged.forEach((value, pointer) -> {
            if (!used.contains(value) && refused.size() < MAX_VIOLATIONS) {
                refused.add(new Violation(pointer, value + " is no target of this directive"));
            }
        });
        if (!refused.isEmpty()) {
            throw new InvalidDocumentException(Kind.COLLATERAL, refused);
        }
        return marked;
    }

    private static Optional<Authority> authority(FieldReader fields) {
        Optional<String> name = fields.text("name", true, 512);
        Optional<String> bin = fields.text("bin", true, 12);
        Optional<String> kazakh = fields.text(AuthorityNames.KAZAKH, false, 512);
        Optional<String> russian = fields.text(AuthorityNames.RUSSIAN, false, 512);
        bin.filter(value -> !IdentificationNumber.isValid(value))
                .ifPresent(value -> fields.violation("bin", "is not a valid BIN (12 digits with a check digit)"));
        fields.rejectUnknownFields();
        return name.isPresent() && bin.filter(IdentificationNumber::isValid).isPresent()
                ? Optional.of(new Authority(name.get(), bin.get(), kazakh, russian)) : Optional.empty();
    }

    private static Optional<CancelledDirective> cancelled(FieldReader fields) {
        Optional<String> number = fields.text("number", true, 64);
        Optional<LocalDate> date = fields.date("date", true);
        fields.rejectUnknownFields();
        return number.isPresent() && date.isPresent()
                ? Optional.of(new CancelledDirective(number.get(), date.get())) : Optional.empty();
    }

    private static Optional<Order> order(FieldReader fields) {
        Optional<String> signatory = fields.text("signatory", true, 512);
        Optional<List<String>> addressees = fields.texts("addressees", true, 1_000, 512);
        Optional<List<String>> resources = fields.texts("resources", true, 10_000, 4_200);
        Optional<List<String>> links = fields.has("links") ? fields.texts("links", false, 10_000, 4_200)
                : Optional.of(List.of());
        Optional<String> kazakh = fields.text("kk", true, 100_000);
        Optional<String> russian = fields.text("ru", true, 100_000);
        fields.rejectUnknownFields();
        return signatory.isPresent() && addressees.isPresent() && resources.isPresent() && links.isPresent()
                && kazakh.isPresent() && russian.isPresent()
                ? Optional.of(new Order(signatory.get(), addressees.get(), resources.get(), links.get(), kazakh.get(),
                        russian.get()))
                : Optional.empty();
    }

    /**
     * {@code domainSuspension: true} with its {@code suspensionGround} (seed 000 §16) and, when a
     * court decision sets the term of the remedy (§19), {@code remedyUntil}; {@code restrictAccess:
     * false} when the names are only to be suspended; none of them without it.
     */
    private static Optional<DomainSuspension> domainSuspension(FieldReader fields, Optional<CourtDecision> court) {
        boolean asked = fields.bool(StoredDocuments.SUSPENSION).orElse(false);
        Optional<DomainSuspension.Ground> ground = fields.constant("suspensionGround", asked, DomainSuspension.Ground.class);
        Optional<LocalDate> remedyUntil = fields.date("remedyUntil", false);
        boolean restrictAccess = fields.bool(StoredDocuments.RESTRICT_ACCESS).orElse(true);
        if (!asked) {
            for (String field : List.of("suspensionGround", "remedyUntil", "restrictAccess")) {
                if (fields.has(field)) {
                    fields.violation(field, "is only with domainSuspension: true");
                }
            }
            return Optional.empty();
        }
        if (remedyUntil.isPresent() && court.isEmpty()) {
            fields.violation("remedyUntil", "is a term a court decision sets (seed 000 §19); give the courtDecision");
        }
        return ground.map(value -> new DomainSuspension(value, remedyUntil, restrictAccess));
    }

    private static Optional<CourtDecision> courtDecision(FieldReader fields) {
        Optional<String> court = fields.text("court", true, 512);
        Optional<String> number = fields.text("number", true, 64);
        Optional<LocalDate> date = fields.date("date", true);
        fields.rejectUnknownFields();
        return court.isPresent() && number.isPresent() && date.isPresent()
                ? Optional.of(new CourtDecision(court.get(), number.get(), date.get())) : Optional.empty();
    }

    private static Optional<Recipients> recipients(FieldReader fields) {
        Optional<JsonNode> value = fields.raw("recipients", true);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get().isTextual() && value.get().textValue().equals("ALL")) {
            return Optional.of(Recipients.everyone());
        }
        if (!value.get().isArray() || value.get().isEmpty()) {
            fields.violation("recipients", "must be \"ALL\" or a non-empty array of operator ids");
            return Optional.empty();
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : value.get()) {
            if (!id.isTextual() || !OPERATOR_ID.matcher(id.textValue()).matches()) {
                fields.violation("recipients", "operator ids are lower-case letters, digits and hyphens");
                return Optional.empty();
            }
            if (!ids.contains(id.textValue())) {
                ids.add(id.textValue());
            }
        }
        return Optional.of(new Recipients(false, ids));
    }

    /**
     * Normalises every target. A target that breaks the schema goes to {@code violations}; one that
     * is well-formed but cannot be normalised, or repeats an earlier one, goes to {@code unusable}.
     */
    private static List<TargetEntry> targets(ArrayNode array, List<Violation> violations, List<Violation> unusable,
                                             List<String> pointers) {
        List<TargetEntry> targets = new ArrayList<>(array.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int index = 0; index < array.size() && violations.size() + unusable.size() < MAX_VIOLATIONS; index++) {
            String pointer = "/targets/" + index;
            JsonNode node = array.get(index);
            if (!node.isObject()) {
                violations.add(new Violation(pointer, "must be an object"));
                continue;
            }
            Optional<TargetEntry> entry = target(new FieldReader((ObjectNode) node, pointer, violations), unusable, pointer);
            final int current = index;
            entry.ifPresent(target -> {
                Integer earlier = seen.putIfAbsent(target.target().key(), current);
                if (earlier != null) {
                    unusable.add(new Violation(pointer, "the same target as /targets/" + earlier
                            + " (" + target.target().key() + ")"));
                } else {
                    targets.add(target);
                    pointers.add(pointer);
                }
            });
        }
        return targets;
    }

    private static Optional<TargetEntry> target(FieldReader fields, List<Violation> unusable, String pointer) {
        int schemaViolations = fields.violationCount();
        Optional<TargetKind> kind = fields.constant("type", true, TargetKind.class);
        if (kind.isEmpty()) {
            fields.rejectUnknownFields();
            return Optional.empty();
        }
        Optional<String> value = Optional.empty();
        Optional<Boolean> includeSubdomains = Optional.empty();
        Optional<AppStore> store = Optional.empty();
        if (kind.get() == TargetKind.APP) {
            store = fields.constant("store", true, AppStore.class);
            value = fields.text("packageId", true, 255);
        } else {
            value = fields.text("value", true, 8_192);
            if (kind.get() == TargetKind.DOMAIN) {
                includeSubdomains = fields.bool("includeSubdomains");
            }
        }
        fields.rejectUnknownFields();
        if (fields.violationCount() > schemaViolations || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = value.get();
            Target target = switch (kind.get()) {
                case DOMAIN -> TargetNormaliser.domain(text, includeSubdomains.orElse(false));
                case URL -> TargetNormaliser.url(text);
                case IP -> TargetNormaliser.ip(text);
                case CIDR -> TargetNormaliser.cidr(text);
                case APP -> TargetNormaliser.app(store.orElseThrow(), text);
            };
            return Optional.of(new TargetEntry(target, text));
        } catch (InvalidTargetException e) {
            unusable.add(new Violation(pointer, e.getMessage()));
            return Optional.empty();
        }
    }

    private static List<Violation> bounded(List<Violation> violations) {
        return violations.size() <= MAX_VIOLATIONS ? violations : violations.subList(0, MAX_VIOLATIONS);
    }
}
