package dev.mountedsecrets.autoconfigure;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.mountedsecrets.ServedSecrets;
import dev.mountedsecrets.actuate.ResultTrees;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.jackson.EndpointObjectMapper;

/**
 * Boot 3.5: the trees of actuator results made by the mapper the endpoints are written with,
 * the isolated {@link EndpointObjectMapper}
 * ({@code management.endpoints.jackson.isolated-object-mapper}, the default), else the
 * application's {@link ObjectMapper}.
 */
final class Jackson2ResultTrees implements ResultTrees {

	private final ObjectMapper mapper;

	/** Whether {@link #mapper} is the one Boot writes every {@link OperationResponseBody} with. */
	private final boolean writesBodies;

	Jackson2ResultTrees(ObjectProvider<EndpointObjectMapper> endpointMapper, ObjectProvider<ObjectMapper> mapper) {
		EndpointObjectMapper endpoint = endpointMapper.getIfAvailable();
		this.mapper = (endpoint != null) ? endpoint.get() : mapper.getIfAvailable(ObjectMapper::new);
		this.writesBodies = endpoint != null;
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
	public @Nullable OperationResponseBody masked(OperationResponseBody result, ServedSecrets served) {
		if (!this.writesBodies) {
			// the application's converters write the body: the tree, which any of them can write
			return null;
		}
		// the values as the serializers hand them to the writer: the same string instances the
		// result holds, whose text a look at the last request may know already
		TokenBuffer written = new TokenBuffer(this.mapper, false);
		try {
			this.mapper.writeValue(written, result);
			if (!shows(written, served)) {
				return new Replayed(written);
			}
			return new Replayed(maskedCopy(written, served));
		}
		catch (EmbeddedValueException | IOException | RuntimeException ex) {
			// a value kept as an object (a raw value, binary), a write a buffer refuses (UTF-8
			// bytes, raw text) or a number it cannot give back: the tree, made from the bytes
			return null;
		}
	}

	private static boolean shows(TokenBuffer written, ServedSecrets served) throws IOException, EmbeddedValueException {
		try (JsonParser tokens = written.asParser()) {
			for (JsonToken token = tokens.nextToken(); token != null; token = tokens.nextToken()) {
				boolean shows = switch (token) {
					case FIELD_NAME, VALUE_STRING -> served.shows(tokens.getText());
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

	private TokenBuffer maskedCopy(TokenBuffer written, ServedSecrets served) throws IOException, EmbeddedValueException {
		TokenBuffer masked = new TokenBuffer(this.mapper, false);
		try (JsonParser tokens = written.asParser()) {
			for (JsonToken token = tokens.nextToken(); token != null; token = tokens.nextToken()) {
				switch (token) {
					case FIELD_NAME -> masked.writeFieldName(served.mask(tokens.getText()));
					case VALUE_STRING -> masked.writeString(served.mask(tokens.getText()));
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
	 * Jackson 2 writer (the endpoints' mapper over HTTP, the JMX response mapper).
	 */
	private static final class Replayed extends JsonSerializable.Base implements OperationResponseBody {

		private final TokenBuffer tokens;

		Replayed(TokenBuffer tokens) {
			this.tokens = tokens;
		}

		@Override
		public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
			this.tokens.serialize(generator);
		}

		@Override
		public void serializeWithType(JsonGenerator generator, SerializerProvider provider,
				TypeSerializer typeSerializer) throws IOException {
			serialize(generator, provider);
		}

		@Override
		public String toString() {
			return "masked actuator result";
		}

	}

}
