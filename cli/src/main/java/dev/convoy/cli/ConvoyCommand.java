package dev.convoy.cli;

public class ConvoyCommand {
  public static void main(String[] args) {}
}
