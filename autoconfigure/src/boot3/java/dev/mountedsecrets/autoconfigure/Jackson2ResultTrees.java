package dev.mountedsecrets.autoconfigure;

import java.io.IOException;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mountedsecrets.actuate.ResultTrees;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.jackson.EndpointObjectMapper;

/**
 * Boot 3.5: the trees of actuator results made by the mapper the endpoints are written with,
 * the isolated {@link EndpointObjectMapper}
 * ({@code management.endpoints.jackson.isolated-object-mapper}, the default), else the
 * application's {@link ObjectMapper}.
 */
final class Jackson2ResultTrees implements ResultTrees {

	private final ObjectMapper mapper;

	Jackson2ResultTrees(ObjectProvider<EndpointObjectMapper> endpointMapper, ObjectProvider<ObjectMapper> mapper) {
		EndpointObjectMapper endpoint = endpointMapper.getIfAvailable();
		this.mapper = (endpoint != null) ? endpoint.get() : mapper.getIfAvailable(ObjectMapper::new);
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
	public boolean anyValue(Object result, Predicate<String> text, Predicate<Number> number) {
		try (JsonParser written = this.mapper.createParser(this.mapper.writeValueAsBytes(result))) {
			for (JsonToken token = written.nextToken(); token != null; token = written.nextToken()) {
				boolean passed = switch (token) {
					case FIELD_NAME, VALUE_STRING -> text.test(written.getText());
					case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number.test(written.getNumberValue());
					default -> false;
				};
				if (passed) {
					return true;
				}
			}
			return false;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Result of type " + result.getClass().getName() + " cannot be read", ex);
		}
	}

}
