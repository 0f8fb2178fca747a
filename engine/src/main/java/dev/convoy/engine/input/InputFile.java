package dev.convoy.engine.input;

import java.nio.charset.StandardCharsets;

/**
 * One file of the config repo as a value: its path relative to the repo root (with {@code /}
 * separators) and its bytes. The engine reads nothing else, so tests hand it strings.
 */
public record InputFile(String path, byte[] bytes) {

  public static InputFile of(String path, String content) {
    return new InputFile(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
