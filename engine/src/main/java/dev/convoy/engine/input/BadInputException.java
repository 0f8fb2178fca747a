package dev.convoy.engine.input;

import java.util.List;
import java.util.stream.Collectors;

/** The input cannot be rendered; carries every problem found, not just the first. */
public class BadInputException extends Exception {
  private final List<InputError> errors;

  public BadInputException(List<InputError> errors) {
    super(errors.stream().map(InputError::describe).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public BadInputException(InputError error) {
    this(List.of(error));
  }

  public List<InputError> errors() {
    return errors;
  }
}
