package dev.tokenauthority.bench;

import io.grpc.MethodDescriptor;
import java.util.function.Predicate;

/** One unary method to drive, its request, and what counts as a correct answer. */
record UnaryProbe<Q, R>(String name, MethodDescriptor<Q, R> method, Q request, Predicate<R> ok) {}
