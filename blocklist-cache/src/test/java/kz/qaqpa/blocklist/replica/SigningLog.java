package kz.qaqpa.blocklist.replica;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.ChangeSource;
import kz.qaqpa.blocklist.model.LoggedChange;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.blocklist.model.SignedHead;
import kz.qaqpa.blocklist.model.SnapshotSource;
import kz.qaqpa.blocklist.model.log.Frontier;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.blocklist.model.log.SetHash;
import kz.qaqpa.blocklist.model.log.TreeHead;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The gateway's side of a test cluster, in memory: a change log (the test's list of changes) with
 * the gateway's signed tree heads over it, as {@link kz.qaqpa.blocklist.model.ChangeSource} gives
 * them — its own EC key and self-signed certificate, heads recomputed from the changes (edge,
 * root, set hash), signed as attached CMS like the gateway's.
 */
final class SigningLog {

    private final List<BlocklistChange> changes;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private volatile Clock clock = Clock.systemUTC();
    private volatile Duration validity = Duration.ofMinutes(1);
    /** The last head signed, given again while the log has not grown and it is younger than {@link #INTERVAL}. */
    private SignedHead last;
    private Instant lastSigned = Instant.MIN;
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    SigningLog(List<BlocklistChange> changes) {
        this.changes = changes;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            this.keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=Test gateway");
            Instant now = Instant.now();
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            this.certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.ONE, Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), name,
                    keys.getPublic()).build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A node's own key, in memory. */
    static ReceiptKey nodeKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            return new ReceiptKey(pair.getPrivate(), pair.getPublic(), Path.of("in-memory.pub"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate a node pins. */
    X509Certificate certificate() {
        return certificate;
    }

    /** Heads from now on state this time, and expire {@code validity} after it. */
    void timing(Clock clock, Duration validity) {
        this.clock = clock;
        this.validity = validity;
    }

    /** A change as the stream carries it: its directive's document hash is the SHA-256 of the directive's number here. */
    static LoggedChange logged(BlocklistChange change) {
        return new LoggedChange(change, Sha256.hex(change.directive()));
    }

    /** The latest head over the first {@code size} changes: signed anew when they grew or every second, as the gateway does. */
    synchronized SignedHead latest(long size) {
        Instant now = clock.instant();
        if (last == null || last.serial() != size || !now.isBefore(lastSigned.plus(INTERVAL))) {
            last = head(size);
            lastSigned = now;
        }
        return last;
    }

    /** A head over the first {@code size} changes, signed now. */
    SignedHead head(long size) {
        Frontier frontier = Frontier.empty();
        SetHash set = SetHash.empty();
        Map<String, BlocklistChange> entries = new HashMap<>();
        for (BlocklistChange change : changes.subList(0, (int) size)) {
            frontier.append(logged(change).leaf().hash());
            BlocklistChange before = change.restricts() ? entries.put(change.key(), change) : entries.remove(change.key());
            if (before != null) {
                set.remove(before.key(), before.directive());
            }
            if (change.restricts()) {
                set.add(change.key(), change.directive());
            }
        }
        Instant now = clock.instant();
        return sign(TreeHead.of(size, frontier.root(), set.digest(), now, now.plus(validity)), frontier.encoded());
    }

    /** The gateway's feed as a node's other source: its latest head, and the set at that head. */
    SnapshotSource feed() {
        return new SnapshotSource() {
            private volatile int size;

            @Override
            public byte[] refresh() {
                size = changes.size();
                return latest(size).cms();
            }

            @Override
            public void entries(Consumer<BlocklistEntry> sink) {
                Map<String, BlocklistChange> entries = new HashMap<>();
                for (BlocklistChange change : changes.subList(0, size)) {
                    if (change.restricts()) {
                        entries.put(change.key(), change);
                    } else {
                        entries.remove(change.key());
                    }
                }
                entries.values().forEach(change -> sink.accept(new BlocklistEntry(change.kind(), change.value(),
                        change.includeSubdomains(), change.host(), change.directive(), change.serial())));
            }
        };
    }

    /** {@code head} signed by this gateway, filed with {@code frontier}. */
    SignedHead sign(TreeHead head, String frontier) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()), certificate));
            generator.addCertificates(new JcaCertStore(List.of(certificate)));
            byte[] cms = generator.generate(new CMSProcessableByteArray(head.bytes()), true).getEncoded();
            return new SignedHead(head.treeSize(), cms, frontier);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A change source over the changes, which keeps those after {@code prunedThrough} only, like the
     * database; seen up to {@code seenThrough} when the reader's link to it is down past that point.
     */
    ChangeSource source(LongSupplier prunedThrough, long seenThrough) {
        return new ChangeSource() {
            @Override
            public List<LoggedChange> changesAfter(long serial, int limit) {
                return changes.stream().filter(change -> change.serial() > Math.max(serial, prunedThrough.getAsLong()))
                        .filter(change -> change.serial() <= seenThrough).limit(limit).map(SigningLog::logged).toList();
            }

            @Override
            public SignedHead head() {
                return latest(Math.min(seenThrough, changes.size()));
            }

            @Override
            public long snapshot(Consumer<BlocklistEntry> sink) {
                Map<String, BlocklistEntry> current = new java.util.LinkedHashMap<>();
                List<BlocklistChange> all = changes.stream().filter(change -> change.serial() <= seenThrough).toList();
                all.forEach(change -> change.applyTo(java.util.Optional.ofNullable(current.get(change.key())))
                        .ifPresentOrElse(entry -> current.put(change.key(), entry), () -> current.remove(change.key())));
                current.values().forEach(sink);
                return all.isEmpty() ? 0 : all.get(all.size() - 1).serial();
            }
        };
    }
}
