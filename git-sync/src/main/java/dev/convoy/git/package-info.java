package dev.convoy.git;
