package dev.mountedsecrets.actuate;

import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * An actuator operation's result as the endpoints' JSON writer sees it: maps with string
 * keys, lists, strings, numbers, booleans and {@code null}, made by the same object mapper
 * (Jackson 3 in Boot 4, Jackson 2 in Boot 3.5). Every writer, and the JMX response mapper,
 * turns such a tree into the output the result itself would have given.
 */
@FunctionalInterface
public interface ResultTrees {

	/**
	 * The tree of a result.
	 * @param result an operation's result, neither text, bytes nor a resource
	 * @return its tree
	 */
	@Nullable Object toTree(Object result);

	/**
	 * Whether any string, property name or number of the result, as the writer writes it,
	 * passes a test: the cheap question asked before a tree is made, since most results
	 * show no secret. Answered from the written output read back, so that whatever the
	 * writer does (raw values, custom serializers, escapes) is what is tested. This default
	 * cannot tell and answers {@code true}: the tree is then made and looked at.
	 * @param result an operation's result, neither text, bytes nor a resource
	 * @param text the test of a string or a property name
	 * @param number the test of a number
	 * @return whether any value passed
	 */
	default boolean anyValue(Object result, Predicate<String> text, Predicate<Number> number) {
		return true;
	}

}
