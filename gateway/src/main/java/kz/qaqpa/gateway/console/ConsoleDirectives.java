package kz.qaqpa.gateway.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.qaqpa.adapters.outbox.DeliveryStore;
import kz.qaqpa.adapters.outbox.DeliveryView;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.directive.StoredTarget;
import kz.qaqpa.directives.directive.TargetRepository;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/**
 * The directives in the console: the latest ones, and one directive — what it says, its signed
 * original to download, its targets, the serial it brought the list to and how many filtering nodes
 * enforce that serial, and each recipient's delivery (attempts, last error, acknowledgement, overdue).
 */
public final class ConsoleDirectives {

    private static final int LATEST = 50;

    /** One directive as its page shows it; {@code enforcing} nodes of {@code nodes} hold its serial or a later one. */
    public record View(StoredDirective directive, List<StoredTarget> targets, List<Delivery> deliveries, long nodes,
                       long enforcing) {
    }

    /** A recipient's delivery, with whether it is overdue now. */
    public record Delivery(DeliveryView view, boolean overdue) {
    }

    private final DirectiveRepository directives;
    private final TargetRepository targets;
    private final DeliveryStore deliveries;
    private final ConsoleData.Operations operations;
    private final Clock clock;
    private final Duration restrictWindow;
    private final Duration restoreWindow;

    public ConsoleDirectives(DirectiveRepository directives, TargetRepository targets, DeliveryStore deliveries,
                             ConsoleData.Operations operations, Clock clock, Duration restrictWindow, Duration restoreWindow) {
        this.directives = directives;
        this.targets = targets;
        this.deliveries = deliveries;
        this.operations = operations;
        this.clock = clock;
        this.restrictWindow = restrictWindow;
        this.restoreWindow = restoreWindow;
    }

    void latest(RoutingContext ctx) {
        String number = Optional.ofNullable(ctx.queryParams().get("number")).map(String::strip).filter(n -> !n.isEmpty())
                .orElse(null);
        Blocking.answer(ctx, () -> directives.search(number, null, LATEST, 0), found -> Console.page(ctx, 200, "directives",
                Map.of("t", Console.texts(ctx), "s", Console.session(ctx), "directives", found,
                        "number", number == null ? "" : number)));
    }

    void show(RoutingContext ctx) {
        long id = id(ctx);
        Blocking.answer(ctx, () -> {
            StoredDirective directive = directives.findById(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                    "there is no directive " + id));
            List<ConsoleData.NodePicture> nodes = operations.nodes();
            long serial = directive.blocklistSerial() == null ? Long.MAX_VALUE : directive.blocklistSerial();
            return new View(directive, targets.findByDirectiveIdOrderByPosition(id), deliveries.forDirective(id).stream()
                    .map(view -> new Delivery(view, view.overdue(clock.instant(), restrictWindow, restoreWindow))).toList(),
                    nodes.size(), nodes.stream().filter(node -> node.enforcedSerial() >= serial).count());
        }, view -> Console.page(ctx, 200, "directive", Map.of("t", Console.texts(ctx), "s", Console.session(ctx), "v", view)));
    }

    /** The signed original exactly as received: CMS, to check with any CMS tool. */
    void signed(RoutingContext ctx) {
        long id = id(ctx);
        Blocking.answer(ctx, () -> directives.findById(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "there is no directive " + id)), directive -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/pkcs7-mime")
                .putHeader("Content-Disposition", "attachment; filename=\"directive-" + id + ".p7m\"")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(Buffer.buffer(directive.signature())));
    }

    private static long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no such directive");
        }
    }
}
