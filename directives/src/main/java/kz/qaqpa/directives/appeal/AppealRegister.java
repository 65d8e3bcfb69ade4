package kz.qaqpa.directives.appeal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.directives.appeal.InvalidAppealException.Problem;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.directive.TargetRepository;
import kz.qaqpa.directives.identity.EmailAddress;
import kz.qaqpa.directives.identity.IdentificationNumber;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.targets.TargetKeys;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Registers restoration appeals and finds them again. Every complete appeal is registered (seed 003
 * §3, §5): it gets a number, the deadline of the 15-working-day monitoring and a private status
 * token, returned once and kept only as its SHA-256. One that names an active RESTRICT restricting
 * its resource is REGISTERED against it; one whose directive number or resource matches none is
 * NEEDS_MATCHING, for the authority to link ({@link AppealMonitoring#link}).
 *
 * <p>The e-mail address is anyone's to give, so it is confirmed before any notice about the appeal
 * goes to it: registration queues only a confirmation mail — fixed text, the appeal's number and a
 * link with a second token (kept as its SHA-256) — at most {@value #CONFIRMATIONS_PER_ADDRESS} a day
 * to one address; the appeal is registered whether or not the address is ever confirmed.
 */
public final class AppealRegister {

    /** The monitoring period of seed 003 §5. */
    public static final int MONITORING_WORKING_DAYS = 15;
    /** Confirmation mails to one address in 24 hours, whoever asks for them. */
    public static final int CONFIRMATIONS_PER_ADDRESS = 3;

    private static final Set<String> KINDS = Set.of("OWNER", "REPRESENTATIVE", "USER");
    private static final Set<String> LANGUAGES = Set.of("kk", "ru", "en");
    private static final int MAX_LINKS = 50;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "a.*, d.number AS directive_number";

    private final Database database;
    private final WorkingCalendar calendar;
    private final Clock clock;
    private final AppealMatching matching;
    private final Supplier<String> publicUrl;

    /** @param publicUrl where appellants reach the gateway's pages ({@code https://gateway.example}), for mailed links */
    public AppealRegister(Database database, WorkingCalendar calendar, Clock clock, Supplier<String> publicUrl) {
        this.database = database;
        this.calendar = calendar;
        this.clock = clock;
        this.publicUrl = publicUrl;
        this.matching = new AppealMatching(database.repository(DirectiveRepository.class),
                database.repository(TargetRepository.class));
    }

    /** A registered appeal and its status token, which is shown this once. */
    public record Registered(Appeal appeal, String token) {
    }

    /**
     * Registers an appeal.
     *
     * @throws InvalidAppealException naming every field that is wrong
     */
    public Registered register(AppealForm form) {
        checkForm(form);
        AppealMatching.Outcome outcome = matching.match(form.directiveNumber().strip(), form.resource().strip());
        StoredDirective directive = outcome.matched().map(AppealMatching.Matched::directive).orElse(null);
        AppealStatus status = directive == null ? AppealStatus.NEEDS_MATCHING : AppealStatus.REGISTERED;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // A year the calendar lacks leaves the deadline pending, not the appeal unregistered.
        Instant deadline = AppealDeadlines.monitoringDeadline(calendar, now).orElse(null);
        String token = token();
        String emailToken = token();
        long id = database.inTransaction(connection -> insert(connection, form, status, outcome, now, deadline, token,
                emailToken));
        return new Registered(new Appeal(id, number(now, id), status, now, deadline, form.kind(),
                strip(form.personName()), form.iin(), strip(form.organisationName()), form.bin(),
                strip(form.representative()), form.email().strip(), language(form), form.resource().strip(),
                directive == null ? null : directive.id(), directive == null ? null : directive.number(),
                List.copyOf(form.links()), strip(form.message()), null, false, foreignDocument(form),
                form.directiveNumber().strip(), outcome.unmatched()), token);
    }

    /**
     * Confirms an appeal's e-mail address with the token mailed to it; notices held for it go out
     * from then on. Confirming again changes nothing.
     *
     * @return whether the number and token match an appeal
     */
    public boolean confirmEmail(String number, String emailToken) {
        return database.inTransaction(connection -> {
            try (PreparedStatement confirm = connection.prepareStatement("""
                    UPDATE appeal SET email_confirmed_at = COALESCE(email_confirmed_at, ?)
                    WHERE number = ? AND email_token_sha256 = ?""")) {
                confirm.setTimestamp(1, Timestamp.from(clock.instant()));
                confirm.setString(2, number);
                confirm.setString(3, Sha256.hex(emailToken));
                return confirm.executeUpdate() == 1;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot confirm the address of appeal " + number + ": " + e.getMessage(), e);
            }
        });
    }

    /** An appeal by its number (for the authority). */
    public Optional<Appeal> find(String number) {
        return query("SELECT " + COLUMNS + " FROM appeal a LEFT JOIN directive d ON d.id = a.directive_id WHERE a.number = ?",
                number, null);
    }

    /** An appeal by its number and status token (for the appellant); empty when either is wrong. */
    public Optional<Appeal> find(String number, String token) {
        return query("SELECT " + COLUMNS + " FROM appeal a LEFT JOIN directive d ON d.id = a.directive_id"
                + " WHERE a.number = ? AND a.token_sha256 = ?", number, Sha256.hex(token));
    }

    private static void checkForm(AppealForm form) {
        List<Problem> problems = new ArrayList<>();
        if (form.kind() == null || !KINDS.contains(form.kind())) {
            problems.add(new Problem("/kind", "OWNER, REPRESENTATIVE or USER"));
        }
        boolean person = present(form.personName()) || present(form.iin());
        boolean organisation = present(form.organisationName()) || present(form.bin()) || present(form.representative());
        if (person == organisation) {
            problems.add(new Problem("/person", "give either a person (personName and iin) or an organisation"
                    + " (organisationName, bin and representative)"));
        } else if (person) {
            text(form.personName(), "/personName", 512, true, problems);
            identification(form, form.iin(), "/iin", problems);
        } else {
            text(form.organisationName(), "/organisationName", 512, true, problems);
            text(form.representative(), "/representative", 512, true, problems);
            identification(form, form.bin(), "/bin", problems);
        }
        if (!EmailAddress.isValid(form.email())) {
            problems.add(new Problem("/email", "an e-mail address"));
        }
        if (form.language() != null && !LANGUAGES.contains(form.language())) {
            problems.add(new Problem("/language", "kk, ru or en"));
        }
        if (!present(form.resource()) || form.resource().length() > 8192 || TargetKeys.candidates(form.resource()).isEmpty()) {
            problems.add(new Problem("/resource", "a domain name or URL"));
        }
        text(form.directiveNumber(), "/directiveNumber", 64, true, problems);
        if (form.links() == null || form.links().isEmpty() || form.links().size() > MAX_LINKS) {
            problems.add(new Problem("/links", "1 to " + MAX_LINKS + " links from which the material was removed"));
        } else {
            for (int i = 0; i < form.links().size(); i++) {
                if (!isWebLink(form.links().get(i))) {
                    problems.add(new Problem("/links/" + i, "an http or https URL of at most 2000 characters"));
                }
            }
        }
        text(form.message(), "/message", 8000, false, problems);
        if (!form.personalDataAcknowledged()) {
            problems.add(new Problem("/personalDataAcknowledged", "acknowledge what personal data is collected, why and"
                    + " for how long"));
        }
        form.signature().filter(signature -> !selfConsistentSignature(signature))
                .ifPresent(signature -> problems.add(new Problem("/signature",
                        "not a CMS signature that verifies with its own certificate")));
        if (!problems.isEmpty()) {
            throw new InvalidAppealException(problems);
        }
    }

    /**
     * A Kazakh identification number with a valid check digit, or — for an appellant who has none
     * — a foreign document; one of the two, never both.
     */
    private static void identification(AppealForm form, String number, String pointer, List<Problem> problems) {
        ForeignDocument document = form.foreignDocument();
        if (document != null && present(number)) {
            problems.add(new Problem("/foreignDocument", "give either " + pointer.substring(1) + " or a foreign document, not both"));
        } else if (document != null) {
            String problem = document.problem();
            if (!problem.isEmpty()) {
                problems.add(new Problem("/foreignDocument", problem));
            }
        } else if (number == null || !IdentificationNumber.isValid(number)) {
            problems.add(new Problem(pointer, "twelve digits with a valid check digit (or, without one, a foreignDocument)"));
        }
    }

    private static ForeignDocument foreignDocument(AppealForm form) {
        ForeignDocument document = form.foreignDocument();
        return document == null ? null : new ForeignDocument(document.type(), document.number().strip(), document.country());
    }

    private long insert(Connection connection, AppealForm form, AppealStatus status, AppealMatching.Outcome outcome,
                        Instant now, Instant deadline, String token, String emailToken) {
        Optional<AppealMatching.Matched> matched = outcome.matched();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO appeal (status, registered_at, deadline, appellant_kind, person_name, iin, organisation_name,
                                    bin, representative, email, language, resource, directive_id, links, message,
                                    signature, token_sha256, target, email_token_sha256, foreign_document_type,
                                    foreign_document_number, foreign_document_country, cited_directive, unmatched,
                                    personal_data_acknowledged_at)
                VALUES ('%s', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(status),
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setTimestamp(1, Timestamp.from(now));
            insert.setTimestamp(2, deadline == null ? null : Timestamp.from(deadline));
            insert.setString(3, form.kind());
            insert.setString(4, strip(form.personName()));
            insert.setString(5, form.iin());
            insert.setString(6, strip(form.organisationName()));
            insert.setString(7, form.bin());
            insert.setString(8, strip(form.representative()));
            insert.setString(9, form.email().strip());
            insert.setString(10, language(form));
            insert.setString(11, form.resource().strip());
            insert.setObject(12, matched.map(match -> match.directive().id()).orElse(null));
            insert.setString(13, JSON.writeValueAsString(form.links()));
            insert.setString(14, strip(form.message()));
            insert.setBytes(15, form.signature().orElse(null));
            insert.setString(16, Sha256.hex(token));
            insert.setString(17, matched.map(AppealMatching.Matched::target).orElse(null));
            insert.setString(18, Sha256.hex(emailToken));
            ForeignDocument document = foreignDocument(form);
            insert.setString(19, document == null ? null : document.type());
            insert.setString(20, document == null ? null : document.number());
            insert.setString(21, document == null ? null : document.country());
            insert.setString(22, form.directiveNumber().strip());
            insert.setString(23, outcome.unmatched());
            insert.setTimestamp(24, Timestamp.from(now));
            insert.executeUpdate();
            long id;
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            try (PreparedStatement numbering = connection.prepareStatement("UPDATE appeal SET number = ? WHERE id = ?")) {
                numbering.setString(1, number(now, id));
                numbering.setLong(2, id);
                numbering.executeUpdate();
            }
            String number = number(now, id);
            AppealNotices.queueConfirmation(connection, id, form.email().strip(), language(form), number,
                    publicUrl.get() + "/appeal/confirm/" + number + "?token=" + emailToken, now);
            AppealNotices.queue(connection, id, AppealNotices.Kind.REGISTERED, now);
            return id;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot register the appeal: " + e.getMessage(), e);
        }
    }

    /** APL-<year of registration, Almaty>-<six-digit sequence>. */
    private static String number(Instant registeredAt, long id) {
        return "APL-" + registeredAt.atOffset(WorkingCalendar.ALMATY).getYear() + "-" + String.format("%06d", id);
    }

    private Optional<Appeal> query(String sql, String number, String tokenSha256) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, number);
            if (tokenSha256 != null) {
                select.setString(2, tokenSha256);
            }
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Appeal(rows.getLong("id"), rows.getString("number"), AppealStatus.valueOf(rows.getString("status")),
                        rows.getObject("registered_at", OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rows.getObject("deadline", OffsetDateTime.class)).map(OffsetDateTime::toInstant)
                                .orElse(null), rows.getString("appellant_kind"),
                        rows.getString("person_name"), rows.getString("iin"), rows.getString("organisation_name"),
                        rows.getString("bin"), rows.getString("representative"), rows.getString("email"),
                        rows.getString("language"), rows.getString("resource"), (Long) rows.getObject("directive_id", Long.class),
                        rows.getString("directive_number"),
                        JSON.readValue(rows.getString("links"), new TypeReference<List<String>>() { }),
                        rows.getString("message"), rows.getString("reasons"),
                        rows.getObject("email_confirmed_at") != null,
                        rows.getString("foreign_document_type") == null ? null : new ForeignDocument(
                                rows.getString("foreign_document_type"), rows.getString("foreign_document_number"),
                                rows.getString("foreign_document_country")),
                        rows.getString("cited_directive"), rows.getString("unmatched")));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read appeal " + number + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the appellant's optional signature is a CMS SignedData each of whose signers verifies
     * with the certificate it carries. Whose certificate it is, is for the authority to weigh; a
     * signature that does not even verify is refused rather than kept as evidence.
     */
    private static boolean selfConsistentSignature(byte[] signature) {
        try {
            CMSSignedData cms = new CMSSignedData(signature);
            if (cms.getSignerInfos().size() == 0) {
                return false;
            }
            for (SignerInformation signer : cms.getSignerInfos().getSigners()) {
                var certificates = cms.getCertificates().getMatches(signer.getSID());
                if (certificates.isEmpty() || !signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                        .build((X509CertificateHolder) certificates.iterator().next()))) {
                    return false;
                }
            }
            return true;
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException
                 | RuntimeException e) {
            return false;
        }
    }

    private static boolean isWebLink(String link) {
        if (link == null || link.length() > 2000) {
            return false;
        }
        try {
            URI uri = URI.create(link.strip());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void text(String value, String pointer, int max, boolean required, List<Problem> problems) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(new Problem(pointer, "required"));
            }
        } else if (value.length() > max) {
            problems.add(new Problem(pointer, "at most " + max + " characters"));
        }
    }

    /** The appellant's language; Kazakh unless another is asked for. */
    private static String language(AppealForm form) {
        return form.language() == null ? "kk" : form.language();
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String strip(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
