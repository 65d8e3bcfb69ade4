package kz.qaqpa.gateway.suspensions;

import static kz.qaqpa.directives.calendar.WorkingCalendar.almaty;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import kz.qaqpa.adapters.outbox.DeliveryStore;
import kz.qaqpa.adapters.outbox.DeliveryStore.AllAcknowledged;
import kz.qaqpa.adapters.recipient.Recipient;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.directives.suspension.SuspensionCases;
import kz.qaqpa.directives.suspension.SuspensionCases.Case;
import kz.qaqpa.directives.suspension.SuspensionState;
import kz.qaqpa.directives.suspension.SuspensionState.Party;
import kz.qaqpa.gateway.http.Bodies;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Caller;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/**
 * The suspension cases over HTTP: the authority reads every case and may name a registrar; the
 * registry reads every case, acknowledges its steps and names a registrar; a registrar reads the
 * cases it is named in and acknowledges the registrant's notice. Other recipients see none.
 */
public final class SuspensionHandlers {

    private static final Set<String> STEP_FIELDS = Set.of("step", "at", "note");
    private static final int LISTED = 500;

    private final SuspensionCases cases;
    private final SuspensionRegistrars registrars;
    private final RecipientStore recipients;
    private final DeliveryStore deliveries;
    private final Clock clock;

    SuspensionHandlers(SuspensionCases cases, SuspensionRegistrars registrars, RecipientStore recipients,
                       DeliveryStore deliveries, Clock clock) {
        this.cases = cases;
        this.registrars = registrars;
        this.recipients = recipients;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** Who is asking: the authority, the registry, a registrar (by id), or someone who may see no case. */
    private record Asker(Optional<Party> party, String id, boolean authority) {

        boolean sees(Case c) {
            return authority || party.filter(Party.REGISTRY::equals).isPresent()
                    || party.filter(Party.REGISTRAR::equals).isPresent() && c.registrar().map(id::equals).orElse(false);
        }
    }

    private Asker asker(RoutingContext ctx) throws SQLException {
        Caller caller = Caller.of(ctx);
        if (caller instanceof Caller.Official official) {
            return new Asker(Optional.empty(), official.name(), true);
        }
        if (!(caller instanceof Caller.Recipient recipient)) {
            return new Asker(Optional.empty(), "-", false);
        }
        Optional<Role> role = recipients.find(recipient.id()).map(Recipient::role);
        Optional<Party> party = role.flatMap(r -> r == Role.REGISTRY ? Optional.of(Party.REGISTRY)
                : r == Role.REGISTRAR ? Optional.of(Party.REGISTRAR) : Optional.empty());
        return new Asker(party, recipient.id(), false);
    }

    /** {@code GET /api/v1/suspensions}: the latest cases the caller may see, newest first, each with what it waits for. */
    public void list(RoutingContext ctx) {
        answer(ctx, () -> {
            Asker asker = asker(ctx);
            if (!asker.authority() && asker.party().isEmpty()) {
                throw new ProblemException(ProblemType.FORBIDDEN, "suspension cases are the registry's and the registrars'");
            }
            JsonArray listed = new JsonArray();
            cases.latest(LISTED).stream().filter(asker::sees).map(this::view).forEach(listed::add);
            return new JsonObject().put("cases", listed);
        });
    }

    /** {@code GET /api/v1/suspensions/:id}: one case and its whole timeline. */
    public void get(RoutingContext ctx) {
        long id = id(ctx);
        answer(ctx, () -> view(visible(asker(ctx), id)));
    }

    /**
     * {@code POST /api/v1/suspensions/:id/steps} {@code {"step", "at", "note"}} (the registry; the
     * case's registrar for REGISTRANT_NOTIFIED): the step and when it happened (now unless given).
     * The registry's SUSPENDED and the registrar's REGISTRANT_NOTIFIED acknowledge their delivery
     * of the directive as well.
     */
    public void step(RoutingContext ctx) {
        long id = id(ctx);
        JsonObject body = Bodies.object(ctx, STEP_FIELDS);
        SuspensionState step = Bodies.constant(SuspensionState.class, body.getValue("step"), "step");
        String note = Bodies.text(body, "note");
        if (note != null && note.length() > 2000) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'note' is at most 2000 characters");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant at = at(Bodies.text(body, "at"), now);
        answer(ctx, () -> {
            Asker asker = asker(ctx);
            visible(asker, id);
            Party party = asker.party().orElseThrow(() -> new ProblemException(ProblemType.FORBIDDEN,
                    "steps of a suspension are the registry's and the registrar's to acknowledge"));
            Case recorded = cases.record(id, step, party, asker.id(), at, note);
            if (step == SuspensionState.SUSPENDED || step == SuspensionState.REGISTRANT_NOTIFIED) {
                deliveries.acknowledge(recorded.directiveId(), asker.id(), "ENFORCED", at, now, AllAcknowledged.NOTHING);
            }
            return view(recorded);
        });
    }

    /**
     * {@code POST /api/v1/suspensions/:id/registrar} {@code {"registrar": "recipient-id"}} (the
     * registry, or the authority): the registrar the case is with, when WHOIS named none that is registered.
     */
    public void registrar(RoutingContext ctx) {
        long id = id(ctx);
        String registrar = Bodies.text(Bodies.object(ctx, Set.of("registrar")), "registrar");
        if (registrar == null || registrar.isBlank() || registrar.length() > 64) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'registrar' is a registered registrar's id");
        }
        answer(ctx, () -> {
            Asker asker = asker(ctx);
            visible(asker, id);
            if (!asker.authority() && asker.party().filter(Party.REGISTRY::equals).isEmpty()) {
                throw new ProblemException(ProblemType.FORBIDDEN, "the registry or the authority names a case's registrar");
            }
            return view(registrars.name(id, registrar.strip(), asker.id()));
        });
    }

    /** The case, when the caller may see it; otherwise the same 404 as for no case at all. */
    private Case visible(Asker asker, long id) {
        return cases.find(id).filter(asker::sees)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no suspension case " + id + " for you"));
    }

    private JsonObject view(Case c) {
        JsonObject view = new JsonObject().put("id", c.id())
                .put("directive", new JsonObject().put("id", c.directiveId()).put("number", c.directiveNumber()))
                .put("domain", c.domain()).put("ground", c.ground().name()).put("state", c.state().name())
                .put("openedAt", almaty(c.openedAt()));
        c.remedyUntil().ifPresent(day -> view.put("remedyUntil", day.toString()));
        c.closedAt().ifPresent(at -> view.put("closedAt", almaty(at)));
        c.registrar().ifPresent(registrar -> view.put("registrar", registrar));
        // Seed 002 art. 21: the ban on the name a court ordered, carried out by the directive.
        c.ban().ifPresent(ban -> view.put("ban", new JsonObject().put("kind", ban.kind()).put("until", almaty(ban.until()))));
        c.whois().ifPresent(whois -> {
            JsonObject asked = new JsonObject().put("askedAt", almaty(whois.askedAt()));
            whois.registrar().ifPresent(name -> asked.put("registrar", name));
            whois.created().ifPresent(created -> asked.put("created", created));
            whois.problem().ifPresent(problem -> asked.put("problem", problem));
            view.put("whois", asked);
        });
        cases.due(c).ifPresent(due -> {
            JsonObject next = new JsonObject().put("step", due.step().name()).put("party", due.party().name())
                    .put("overdue", due.overdue());
            // Null while the working-day calendar lacks the year the deadline falls in.
            next.put("due", almaty(due.due()));
            view.put("next", next);
        });
        JsonArray steps = new JsonArray();
        c.steps().forEach(step -> {
            JsonObject json = new JsonObject().put("step", step.step().name()).put("at", almaty(step.happenedAt()))
                    .put("recordedAt", almaty(step.recordedAt())).put("by", step.by());
            if (step.note() != null) {
                json.put("note", step.note());
            }
            steps.add(json);
        });
        return view.put("steps", steps);
    }

    private static long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no suspension case " + ctx.pathParam("id"));
        }
    }

    private static Instant at(String text, Instant now) {
        if (text == null) {
            return now;
        }
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'at' must be an ISO-8601 instant such as 2026-12-14T11:00:00Z");
        }
    }

    private static void answer(RoutingContext ctx, Callable<JsonObject> work) {
        Blocking.answer(ctx, work, result -> Bodies.json(ctx, 200, result));
    }
}
