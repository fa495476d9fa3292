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
	 * Whether a body Boot writes with the endpoints' own mapper ({@link OperationResponseBody})
	 * may be answered as it is: serialized once as the writer will be given it, no string,
	 * property name or number of it shows a served secret. Cheaper than a tree, which is
	 * written and read back. {@code false} when one does; when a serializer gives the writer
	 * what only the written bytes show (a raw value, binary, a number written as text); and
	 * when the response is written by another mapper than this one (another preferred JSON
	 * writer). This default cannot tell and answers {@code false}: the tree is made.
	 * @param result an operation's result, an {@link OperationResponseBody}
	 * @param served the served values
	 * @return whether it is known to show none
	 */
	default boolean showsNoSecret(OperationResponseBody result, ServedSecrets served) {
		return false;
	}

}
