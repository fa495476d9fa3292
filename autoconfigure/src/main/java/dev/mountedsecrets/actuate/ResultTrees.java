package dev.mountedsecrets.actuate;

import dev.mountedsecrets.ServedSecrets;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

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
	 * A body Boot writes with the endpoints' own mapper ({@link OperationResponseBody}), masked
	 * and ready to be written: serialized once, its strings, property names and numbers looked
	 * at as the serializers hand them to the writer, each that shows a served secret masked,
	 * and replayed to the writer of the response. Cheaper than a tree, which is written and
	 * read back. This default cannot and answers {@code null}, as an implementation does when
	 * the endpoints are written by another mapper than its own, or when a serializer gives
	 * the writer what only the written bytes show (a raw value, binary): the tree is made.
	 * @param result an operation's result, an {@link OperationResponseBody}
	 * @param served the served values to mask
	 * @return the masked body, or {@code null}
	 */
	default @Nullable OperationResponseBody masked(OperationResponseBody result, ServedSecrets served) {
		return null;
	}

}
