package dev.convoy.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a JSON document against the part of JSON Schema that docs/review.schema.json uses ({@code
 * type}, {@code const}, {@code enum}, {@code properties}, {@code required}, {@code
 * additionalProperties}, {@code items}, {@code oneOf}, local {@code $ref}), so the documented
 * schema and the output cannot drift apart.
 */
final class JsonSchemaCheck {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final JsonNode root;

  JsonSchemaCheck(String schema) {
    this.root = JSON.readTree(schema);
  }

  /** Every place where {@code json} does not follow the schema; empty when it does. */
  List<String> problems(String json) {
    List<String> out = new ArrayList<>();
    check(JSON.readTree(json), root, "$", out);
    return out;
  }

  private void check(JsonNode value, JsonNode schema, String at, List<String> out) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asString();
      JsonNode target = root;
      for (String part : ref.substring(2).split("/")) {
        target = target.get(part);
      }
      check(value, target, at, out);
    }
    if (schema.has("oneOf")) {
      int matches = 0;
      for (JsonNode option : schema.get("oneOf")) {
        List<String> p = new ArrayList<>();
        check(value, option, at, p);
        matches += p.isEmpty() ? 1 : 0;
      }
      if (matches != 1) {
        out.add(at + ": matches " + matches + " of oneOf");
      }
    }
    if (schema.has("const") && !schema.get("const").equals(value)) {
      out.add(at + ": not " + schema.get("const"));
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode e : schema.get("enum")) {
        found |= e.equals(value);
      }
      if (!found) {
        out.add(at + ": " + value + " not in " + schema.get("enum"));
      }
    }
    if (schema.has("type")) {
      List<String> types = new ArrayList<>();
      JsonNode t = schema.get("type");
      if (t.isArray()) {
        t.forEach(x -> types.add(x.asString()));
      } else {
        types.add(t.asString());
      }
      if (types.stream().noneMatch(type -> is(value, type))) {
        out.add(at + ": " + value.getNodeType() + " is not " + types);
        return;
      }
    }
    if (value.isObject() && schema.has("properties")) {
      JsonNode properties = schema.get("properties");
      if (schema.has("required")) {
        for (JsonNode r : schema.get("required")) {
          if (!value.has(r.asString())) {
            out.add(at + ": missing " + r.asString());
          }
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (properties.has(e.getKey())) {
          check(e.getValue(), properties.get(e.getKey()), at + "." + e.getKey(), out);
        } else if (schema.has("additionalProperties")
            && schema.get("additionalProperties").isBoolean()
            && !schema.get("additionalProperties").asBoolean()) {
          out.add(at + ": unexpected field " + e.getKey());
        }
      }
    } else if (value.isObject()
        && schema.has("additionalProperties")
        && schema.get("additionalProperties").isObject()) {
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        check(e.getValue(), schema.get("additionalProperties"), at + "." + e.getKey(), out);
      }
    }
    if (value.isArray() && schema.has("items")) {
      int i = 0;
      for (JsonNode item : value) {
        check(item, schema.get("items"), at + "[" + i++ + "]", out);
      }
    }
  }

  private static boolean is(JsonNode v, String type) {
    return switch (type) {
      case "string" -> v.isString();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "null" -> v.isNull();
      default -> false;
    };
  }
}
