package kz.qaqpa.blocklist.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterMemberTest {

    private final List<ClusterMember> started = new ArrayList<>();

    @AfterEach
    void stopMembers() {
        started.forEach(member -> member.hazelcast().getLifecycleService().terminate());
    }

    @Test
    void membersThatKnowEachOtherFormOneCluster() {
        String name = uniqueClusterName();
        ClusterMember first = start(new ClusterSettings(name, "127.0.0.1", 0, List.of()));
        String firstAddress = first.endpoint();

        ClusterMember second = start(new ClusterSettings(name, "127.0.0.1", 0, List.of(firstAddress)));

        assertThat(first.size()).isEqualTo(2);
        assertThat(second.size()).isEqualTo(2);
        assertThat(second.hazelcast().getCluster().getMembers())
                .isEqualTo(first.hazelcast().getCluster().getMembers());
    }

    @Test
    void memberOfAnotherClusterNameStaysApart() {
        ClusterMember first = start(new ClusterSettings(uniqueClusterName(), "127.0.0.1", 0, List.of()));
        String firstAddress = first.endpoint();

        ClusterMember stranger = start(new ClusterSettings(uniqueClusterName(), "127.0.0.1", 0, List.of(firstAddress)));

        assertThat(first.size()).isEqualTo(1);
        assertThat(stranger.size()).isEqualTo(1);
    }

    @Test
    void memberThatLeavesIsGoneForTheOthersAndReportsDown() {
        String name = uniqueClusterName();
        ClusterMember first = start(new ClusterSettings(name, "127.0.0.1", 0, List.of()));
        ClusterMember second = start(new ClusterSettings(name, "127.0.0.1", 0,
                List.of(first.endpoint())));
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        second.bindMetrics(metrics);
        assertThat(metrics.get("hazelcast.member.up").gauge().value()).isEqualTo(1.0);

        second.close();

        await().atMost(Duration.ofSeconds(10)).until(first::size, size -> size == 1);
        assertThat(second.isUp()).isFalse();
        assertThat(metrics.get("hazelcast.member.up").gauge().value()).isEqualTo(0.0);
        assertThat(metrics.get("hazelcast.cluster.members").gauge().value()).isEqualTo(0.0);
    }

    @Test
    void portInUseIsReportedWithThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ClusterSettings settings = new ClusterSettings(uniqueClusterName(), "127.0.0.1",
                    taken.getLocalPort(), List.of());

            assertThatThrownBy(() -> start(settings))
                    .isInstanceOf(ClusterUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }

    private ClusterMember start(ClusterSettings settings) {
        ClusterMember member = ClusterMember.join(settings);
        started.add(member);
        return member;
    }

    private static String uniqueClusterName() {
        return "test-" + UUID.randomUUID();
    }
}
