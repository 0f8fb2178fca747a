package dev.convoy.rules;
