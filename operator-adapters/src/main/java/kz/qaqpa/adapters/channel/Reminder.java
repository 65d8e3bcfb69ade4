package kz.qaqpa.adapters.channel;

/**
 * A reminder to a recipient that it owes a step (a domain-suspension case's, seed 000 §18–22), sent
 * over its own channel: as JSON to a webhook, as text to a mailbox.
 *
 * @param key     the same on every attempt of this reminder, so the recipient can drop repeats
 * @param subject one line, Kazakh then Russian
 * @param text    the reminder, Kazakh then Russian
 * @param json    the same facts for a machine ({@code qaqpa.reminder/v1})
 */
public record Reminder(String key, String subject, String text, byte[] json) {
}
