package dev.mountedsecrets.actuate;

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

}
