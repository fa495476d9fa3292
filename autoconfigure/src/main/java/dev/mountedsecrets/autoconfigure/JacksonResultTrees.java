package dev.mountedsecrets.autoconfigure;

import dev.mountedsecrets.ServedSecrets;
import dev.mountedsecrets.actuate.ResultTrees;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.TokenBuffer;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.core.env.Environment;

/**
 * Boot 4: the trees of actuator results made by the mapper the endpoints are written with,
 * the isolated {@link EndpointJsonMapper} ({@code management.endpoints.jackson.isolated-json-mapper},
 * the default), else the application's {@link JsonMapper}.
 */
final class JacksonResultTrees implements ResultTrees {

	private final JsonMapper mapper;

	/** The Jackson 3 converter that Boot's endpoint mapper is registered on. */
	private static final String OWN_CONVERTER = "org.springframework.http.converter.json.JacksonJsonHttpMessageConverter";

	/**
	 * Whether Boot writes every {@link OperationResponseBody} over HTTP with {@link #mapper}:
	 * the isolated endpoint mapper, Jackson the preferred JSON writer, no other JSON converter.
	 */
	private final boolean writesBodies;

	/** The mapper that converts results for JMX, when JMX is on and it is another one. */
	private final @Nullable JsonMapper jmxMapper;

	JacksonResultTrees(ObjectProvider<EndpointJsonMapper> endpointMapper, ObjectProvider<JsonMapper> mapper,
			Environment environment, ListableBeanFactory beans) {
		EndpointJsonMapper endpoint = endpointMapper.getIfAvailable();
		this.mapper = (endpoint != null) ? endpoint.get() : mapper.getIfAvailable(JsonMapper::new);
		this.writesBodies = endpoint != null && ResultValues.jacksonWrites(environment)
				&& !ResultValues.otherJsonConverter(beans, OWN_CONVERTER);
		JsonMapper jmx = ResultValues.jmxEnabled(environment) ? mapper.getIfAvailable(JsonMapper::new) : null;
		this.jmxMapper = (jmx != this.mapper) ? jmx : null;
	}

	@Override
	public @Nullable Object toTree(Object result) {
		// the written output read back: what a raw value or a custom serializer writes is in it
		return this.mapper.readValue(this.mapper.writeValueAsBytes(result), Object.class);
	}

	@Override
	public boolean showsNoSecret(OperationResponseBody result, ServedSecrets served) {
		// over JMX the application's mapper converts the result, by its own settings
		return this.writesBodies && showsNoSecret(this.mapper, result, served)
				&& (this.jmxMapper == null || showsNoSecret(this.jmxMapper, result, served));
	}

	private static boolean showsNoSecret(JsonMapper mapper, OperationResponseBody result, ServedSecrets served) {
		// the values as the serializers hand them to the writer, not written out and read
		// back: the same string instances the result holds, whose text a look at the last
		// request may know already
		TokenBuffer written = TokenBuffer.forGeneration();
		try {
			mapper.writeValue(written, result);
			try (JsonParser tokens = written.asParser()) {
				for (JsonToken token = tokens.nextToken(); token != null; token = tokens.nextToken()) {
					if (!isClean(tokens, token, served)) {
						return false;
					}
				}
				return true;
			}
		}
		catch (RuntimeException ex) {
			// a write a buffer refuses (UTF-8 bytes, raw text): the tree, made from the bytes
			return false;
		}
	}

	private static boolean isClean(JsonParser tokens, JsonToken token, ServedSecrets served) {
		return switch (token) {
			case PROPERTY_NAME, VALUE_STRING -> !served.shows(tokens.getString());
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> ResultValues.isClean(tokens.getNumberValueDeferred(), served);
			// kept as an object (a raw value, binary): only the written bytes show what it becomes
			case VALUE_EMBEDDED_OBJECT -> false;
			default -> true;
		};
	}

}
