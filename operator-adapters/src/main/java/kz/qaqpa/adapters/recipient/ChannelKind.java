package kz.qaqpa.adapters.recipient;

/** How directives reach a recipient. */
public enum ChannelKind {
    /** An HTTPS POST to the recipient's endpoint. */
    WEBHOOK,
    /** Files dropped on the recipient's FTP or FTPS server. */
    FTP,
    /** An e-mail with the signed document attached. */
    EMAIL,
    /** Nothing pushed: the recipient pulls the blocklist. */
    PULL_ONLY
}
