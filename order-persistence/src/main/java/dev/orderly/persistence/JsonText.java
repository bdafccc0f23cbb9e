package dev.orderly.persistence;

import java.util.List;

/** Writes a list of strings as JSON text: how item ids travel to PostgreSQL in bulk. */
final class JsonText {

  private JsonText() {}

  static String array(List<String> values) {
    StringBuilder json = new StringBuilder(values.size() * 16).append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      string(json, values.get(i));
    }
    return json.append(']').toString();
  }

  private static void string(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
