package kz.qaqpa.blocklist.replica;

import com.hazelcast.config.CompactSerializationConfig;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.Optional;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.LoggedChange;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.Reload;
import kz.qaqpa.blocklist.model.SignedHead;
import kz.qaqpa.blocklist.model.TargetKind;

/**
 * How the blocklist's records travel in the cluster: Hazelcast compact serialisation, written out
 * field by field rather than by reflection, so that the wire form is stated here (names, types, an
 * absent host as null) and the model's records stay free of Hazelcast. Every member and client
 * registers both ({@link ReplicatedBlocklist#serialisation}).
 */
final class ClusterSerializers {

    private ClusterSerializers() {
    }

    static CompactSerializationConfig register(CompactSerializationConfig config) {
        return config.addSerializer(new Change()).addSerializer(new Logged()).addSerializer(new Head())
                .addSerializer(new ReloadMarker());
    }

    /** An entry of the map: the change that added it. */
    static final class Change implements CompactSerializer<BlocklistChange> {

        @Override
        public BlocklistChange read(CompactReader in) {
            return change(in);
        }

        static BlocklistChange change(CompactReader in) {
            return new BlocklistChange(in.readInt64("serial"), Operation.valueOf(in.readString("operation")),
                    TargetKind.valueOf(in.readString("kind")), in.readString("value"), in.readBoolean("includeSubdomains"),
                    Optional.ofNullable(in.readString("host")), in.readString("directive"));
        }

        @Override
        public void write(CompactWriter out, BlocklistChange change) {
            fields(out, change);
        }

        static void fields(CompactWriter out, BlocklistChange change) {
            out.writeInt64("serial", change.serial());
            out.writeString("operation", change.operation().name());
            out.writeString("kind", change.kind().name());
            out.writeString("value", change.value());
            out.writeBoolean("includeSubdomains", change.includeSubdomains());
            out.writeString("host", change.host().orElse(null));
            out.writeString("directive", change.directive());
        }

        @Override
        public String getTypeName() {
            return "qaqpa.BlocklistChange";
        }

        @Override
        public Class<BlocklistChange> getCompactClass() {
            return BlocklistChange.class;
        }
    }

    /** A change of the stream: the change's fields and its directive's document hash. */
    static final class Logged implements CompactSerializer<LoggedChange> {

        @Override
        public LoggedChange read(CompactReader in) {
            return new LoggedChange(Change.change(in), in.readString("documentSha256"));
        }

        @Override
        public void write(CompactWriter out, LoggedChange logged) {
            Change.fields(out, logged.change());
            out.writeString("documentSha256", logged.documentSha256());
        }

        @Override
        public String getTypeName() {
            return "qaqpa.LoggedChange";
        }

        @Override
        public Class<LoggedChange> getCompactClass() {
            return LoggedChange.class;
        }
    }

    /** A signed tree head, in the stream and as the latest one. */
    static final class Head implements CompactSerializer<SignedHead> {

        @Override
        public SignedHead read(CompactReader in) {
            return new SignedHead(in.readInt64("serial"), in.readArrayOfInt8("cms"), in.readString("frontier"));
        }

        @Override
        public void write(CompactWriter out, SignedHead head) {
            out.writeInt64("serial", head.serial());
            out.writeArrayOfInt8("cms", head.cms());
            out.writeString("frontier", head.frontier());
        }

        @Override
        public String getTypeName() {
            return "qaqpa.SignedHead";
        }

        @Override
        public Class<SignedHead> getCompactClass() {
            return SignedHead.class;
        }
    }

    /** The marker of a whole load. */
    static final class ReloadMarker implements CompactSerializer<Reload> {

        @Override
        public Reload read(CompactReader in) {
            return new Reload(in.readInt64("serial"));
        }

        @Override
        public void write(CompactWriter out, Reload reload) {
            out.writeInt64("serial", reload.serial());
        }

        @Override
        public String getTypeName() {
            return "qaqpa.Reload";
        }

        @Override
        public Class<Reload> getCompactClass() {
            return Reload.class;
        }
    }
}
