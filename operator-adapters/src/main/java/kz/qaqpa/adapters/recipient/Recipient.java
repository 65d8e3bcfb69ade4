package kz.qaqpa.adapters.recipient;

import java.time.Instant;

/**
 * A recipient of directives as registered.
 *
 * @param id       the id directives name it by in {@code recipients}
 * @param name     its name
 * @param bin      its business identification number
 * @param role     operator or the State Technical Service
 * @param settings how to reach it
 * @param active   whether directives go to it; an inactive one keeps its history
 */
public record Recipient(String id, String name, String bin, Role role, ChannelSettings settings, boolean active,
                        Instant createdAt, Instant updatedAt) {
}
