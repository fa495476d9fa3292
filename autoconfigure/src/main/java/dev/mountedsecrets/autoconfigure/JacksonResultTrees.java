package dev.mountedsecrets.autoconfigure;

import dev.mountedsecrets.ServedSecrets;
import dev.mountedsecrets.actuate.ResultTrees;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JacksonSerializable;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.util.TokenBuffer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;

/**
 * Boot 4: the trees of actuator results made by the mapper the endpoints are written with,
 * the isolated {@link EndpointJsonMapper} ({@code management.endpoints.jackson.isolated-json-mapper},
 * the default), else the application's {@link JsonMapper}.
 */
final class JacksonResultTrees implements ResultTrees {

	private final JsonMapper mapper;

	/** Whether {@link #mapper} is the one Boot writes every {@link OperationResponseBody} with. */
	private final boolean writesBodies;

	JacksonResultTrees(ObjectProvider<EndpointJsonMapper> endpointMapper, ObjectProvider<JsonMapper> mapper) {
		EndpointJsonMapper endpoint = endpointMapper.getIfAvailable();
		this.mapper = (endpoint != null) ? endpoint.get() : mapper.getIfAvailable(JsonMapper::new);
		this.writesBodies = endpoint != null;
	}

	@Override
	public @Nullable Object toTree(Object result) {
		// the written output read back: what a raw value or a custom serializer writes is in it
		return this.mapper.readValue(this.mapper.writeValueAsBytes(result), Object.class);
	}

	@Override
	public @Nullable OperationResponseBody masked(OperationResponseBody result, ServedSecrets served) {
		if (!this.writesBodies) {
			// the application's converters write the body: the tree, which any of them can write
			return null;
		}
		// the values as the serializers hand them to the writer: the same string instances the
		// result holds, whose text a look at the last request may know already
		TokenBuffer written = TokenBuffer.forGeneration();
		try {
			this.mapper.writeValue(written, result);
			if (!shows(written, served)) {
				return new Replayed(written);
			}
			return new Replayed(maskedCopy(written, served));
		}
		catch (EmbeddedValueException | RuntimeException ex) {
			// a value kept as an object (a raw value, binary), a write a buffer refuses (UTF-8
			// bytes, raw text) or a number it cannot give back: the tree, made from the bytes
			return null;
		}
	}

	private static boolean shows(TokenBuffer written, ServedSecrets served) throws EmbeddedValueException {
		try (JsonParser tokens = written.asParser()) {
			for (JsonToken token = tokens.nextToken(); token != null; token = tokens.nextToken()) {
				boolean shows = switch (token) {
					case PROPERTY_NAME, VALUE_STRING -> served.shows(tokens.getString());
					case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> served.shows(tokens.getNumberValue());
					case VALUE_EMBEDDED_OBJECT -> throw new EmbeddedValueException();
					default -> false;
				};
				if (shows) {
					return true;
				}
			}
			return false;
		}
	}

	private static TokenBuffer maskedCopy(TokenBuffer written, ServedSecrets served) throws EmbeddedValueException {
		TokenBuffer masked = TokenBuffer.forGeneration();
		try (JsonParser tokens = written.asParser()) {
			for (JsonToken token = tokens.nextToken(); token != null; token = tokens.nextToken()) {
				switch (token) {
					case PROPERTY_NAME -> masked.writeName(served.mask(tokens.getString()));
					case VALUE_STRING -> masked.writeString(served.mask(tokens.getString()));
					case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
						if (served.shows(tokens.getNumberValue())) {
							masked.writeString(ServedSecrets.MASK);
						}
						else {
							masked.copyCurrentEvent(tokens);
						}
					}
					case VALUE_EMBEDDED_OBJECT -> throw new EmbeddedValueException();
					default -> masked.copyCurrentEvent(tokens);
				}
			}
		}
		return masked;
	}

	/** A value the writer is given as an object: only the written bytes show what it becomes. */
	private static final class EmbeddedValueException extends Exception {

		EmbeddedValueException() {
			super(null, null, false, false);
		}

	}

	/**
	 * A result's body, written by replaying the values its serializers gave, masked: by any
	 * Jackson 3 writer (the endpoints' mapper over HTTP, the JMX response mapper).
	 */
	private static final class Replayed extends JacksonSerializable.Base implements OperationResponseBody {

		private final TokenBuffer tokens;

		Replayed(TokenBuffer tokens) {
			this.tokens = tokens;
		}

		@Override
		public void serialize(JsonGenerator generator, SerializationContext context) {
			this.tokens.serialize(generator);
		}

		@Override
		public void serializeWithType(JsonGenerator generator, SerializationContext context,
				TypeSerializer typeSerializer) {
			serialize(generator, context);
		}

		@Override
		public String toString() {
			return "masked actuator result";
		}

	}

}
