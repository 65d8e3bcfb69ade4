package kz.qaqpa.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Restoration appeals and their deadlines.
 *
 * @param calendarFile the working-day calendar (holidays and transfers by year) to use instead of
 *                     the one shipped, so that a new year's decree needs no rebuild
 */
public record AppealSettings(Optional<Path> calendarFile) {

    public static AppealSettings defaults() {
        return new AppealSettings(Optional.empty());
    }
}
