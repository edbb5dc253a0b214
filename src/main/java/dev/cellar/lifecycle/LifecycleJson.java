package dev.cellar.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * A bucket lifecycle configuration as the JSON {@code aws s3api put-bucket-lifecycle-configuration
 * --lifecycle-configuration file://rules.json} takes ({@code {"Rules": [{"ID": ..., "Filter":
 * {"Prefix": ...}, ...}]}}), written and read through the SDK model's own field list (member
 * names, types, nesting), so no field is renamed or dropped by hand-written mapping code.
 */
public final class LifecycleJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LifecycleJson() {
    }

    public static String write(BucketLifecycleConfiguration configuration) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(configuration)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException when the text is not JSON of that shape (names a field the model lacks, wrong type) */
    public static BucketLifecycleConfiguration read(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        return (BucketLifecycleConfiguration) fromJson(node, BucketLifecycleConfiguration.builder(), "$");
    }

    /** The configuration as a JSON tree (to embed in a command's --json result). */
    public static JsonNode tree(BucketLifecycleConfiguration configuration) {
        return toJson(configuration);
    }

    static ObjectNode toJson(SdkPojo pojo) {
        ObjectNode node = JSON.createObjectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (value == null || (value instanceof Collection<?> c && c.isEmpty() && isAutoConstruct(value))) {
                continue;
            }
            node.set(field.memberName(), valueToJson(field, value));
        }
        return node;
    }

    private static JsonNode valueToJson(SdkField<?> field, Object value) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            return toJson((SdkPojo) value);
        }
        if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            ArrayNode array = JSON.createArrayNode();
            for (Object element : (Collection<?>) value) {
                array.add(valueToJson(member, element));
            }
            return array;
        }
        if (type == MarshallingType.STRING) {
            return JSON.getNodeFactory().textNode((String) value);
        }
        if (type == MarshallingType.INTEGER) {
            return JSON.getNodeFactory().numberNode((Integer) value);
        }
        if (type == MarshallingType.LONG) {
            return JSON.getNodeFactory().numberNode((Long) value);
        }
        if (type == MarshallingType.BOOLEAN) {
            return JSON.getNodeFactory().booleanNode((Boolean) value);
        }
        if (type == MarshallingType.INSTANT) {
            return JSON.getNodeFactory().textNode(value.toString());
        }
        throw new IllegalStateException("field " + field.memberName() + " of type " + type + " is not supported");
    }

    private static Object fromJson(JsonNode node, SdkPojo builder, String path) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + " must be an object");
        }
        // by member name ("Rules"), the name the s3api JSON uses; sdkFieldNameToField() is keyed by the XML name ("Rule")
        Map<String, SdkField<?>> fields = new java.util.LinkedHashMap<>();
        builder.sdkFields().forEach(f -> fields.put(f.memberName(), f));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            SdkField<?> field = fields.get(entry.getKey());
            if (field == null) {
                throw new IllegalArgumentException(path + " has no field \"" + entry.getKey() + "\"; it has " + fields.keySet());
            }
            field.set(builder, valueFromJson(field, entry.getValue(), path + "." + entry.getKey()));
        }
        return ((SdkBuilder<?, ?>) builder).build();
    }

    private static Object valueFromJson(SdkField<?> field, JsonNode value, String path) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            return fromJson(value, field.constructor().get(), path);
        }
        if (type == MarshallingType.LIST) {
            if (!value.isArray()) {
                throw new IllegalArgumentException(path + " must be an array");
            }
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                list.add(valueFromJson(member, value.get(i), path + "[" + i + "]"));
            }
            return list;
        }
        if (type == MarshallingType.STRING && value.isTextual()) {
            return value.asText();
        }
        if (type == MarshallingType.INTEGER && value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (type == MarshallingType.LONG && value.isIntegralNumber()) {
            return value.longValue();
        }
        if (type == MarshallingType.BOOLEAN && value.isBoolean()) {
            return value.booleanValue();
        }
        if (type == MarshallingType.INSTANT && value.isTextual()) {
            return java.time.Instant.parse(value.asText());
        }
        throw new IllegalArgumentException(path + " must be a " + type + ", not " + value.getNodeType());
    }

    /** The SDK's "no list was set" placeholder, which prints as [] but means absent. */
    private static boolean isAutoConstruct(Object value) {
        return value instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>;
    }
}
