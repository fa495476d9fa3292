package dev.mountedsecrets.autoconfigure;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.mountedsecrets.ServedSecrets;
import dev.mountedsecrets.actuate.ResultTrees;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.jackson.EndpointObjectMapper;
import org.springframework.core.env.Environment;

/**
 * Boot 3.5: the trees of actuator results made by the mapper the endpoints are written with,
 * the isolated {@link EndpointObjectMapper}
 * ({@code management.endpoints.jackson.isolated-object-mapper}, the default), else the
 * application's {@link ObjectMapper}.
 */
final class Jackson2ResultTrees implements ResultTrees {

	private final ObjectMapper mapper;

	/** The Jackson 2 converter that Boot's endpoint mapper is registered on. */
	private static final String OWN_CONVERTER = "org.springframework.http.converter.json.MappingJackson2HttpMessageConverter";

	/**
	 * Whether Boot writes every {@link OperationResponseBody} over HTTP with {@link #mapper}:
	 * the isolated endpoint mapper, Jackson the preferred JSON writer, no other JSON converter.
	 */
	private final boolean writesBodies;

	/** The mapper that converts results for JMX, when JMX is on and it is another one. */
	private final @Nullable ObjectMapper jmxMapper;

	Jackson2ResultTrees(ObjectProvider<EndpointObjectMapper> endpointMapper, ObjectProvider<ObjectMapper> mapper,
			Environment environment, ListableBeanFactory beans) {
		EndpointObjectMapper endpoint = endpointMapper.getIfAvailable();
		this.mapper = (endpoint != null) ? endpoint.get() : mapper.getIfAvailable(ObjectMapper::new);
		this.writesBodies = endpoint != null && ResultValues.jacksonWrites(environment)
				&& !ResultValues.otherJsonConverter(beans, OWN_CONVERTER);
		ObjectMapper jmx = ResultValues.jmxEnabled(environment) ? mapper.getIfAvailable(ObjectMapper::new) : null;
		this.jmxMapper = (jmx != this.mapper) ? jmx : null;
	}

	@Override
	public @Nullable Object toTree(Object result) {
		try {
			// the written output read back: what a raw value or a custom serializer writes is in it
			return this.mapper.readValue(this.mapper.writeValueAsBytes(result), Object.class);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Result of type " + result.getClass().getName() + " cannot be read", ex);
		}
	}

	@Override
	public boolean showsNoSecret(OperationResponseBody result, ServedSecrets served) {
		// over JMX the application's mapper converts the result, by its own settings
		return this.writesBodies && showsNoSecret(this.mapper, result, served)
				&& (this.jmxMapper == null || showsNoSecret(this.jmxMapper, result, served));
	}

	private static boolean showsNoSecret(ObjectMapper mapper, OperationResponseBody result, ServedSecrets served) {
		// the values as the serializers hand them to the writer, not written out and read
		// back: the same string instances the result holds, whose text a look at the last
		// request may know already
		TokenBuffer written = new TokenBuffer(mapper, false);
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
		catch (IOException | RuntimeException ex) {
			// a write a buffer refuses (UTF-8 bytes, raw text): the tree, made from the bytes
			return false;
		}
	}

	private static boolean isClean(JsonParser tokens, JsonToken token, ServedSecrets served) throws IOException {
		return switch (token) {
			case FIELD_NAME, VALUE_STRING -> !served.shows(tokens.getText());
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> ResultValues.isClean(tokens.getNumberValueDeferred(), served);
			// kept as an object (a raw value, binary): only the written bytes show what it becomes
			case VALUE_EMBEDDED_OBJECT -> false;
			default -> true;
		};
	}

}
