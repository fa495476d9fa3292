package dev.mountedsecrets.autoconfigure;

import java.util.function.Predicate;

import dev.mountedsecrets.actuate.ResultTrees;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;

/**
 * Boot 4: the trees of actuator results made by the mapper the endpoints are written with,
 * the isolated {@link EndpointJsonMapper} ({@code management.endpoints.jackson.isolated-json-mapper},
 * the default), else the application's {@link JsonMapper}.
 */
final class JacksonResultTrees implements ResultTrees {

	private final JsonMapper mapper;

	JacksonResultTrees(ObjectProvider<EndpointJsonMapper> endpointMapper, ObjectProvider<JsonMapper> mapper) {
		EndpointJsonMapper endpoint = endpointMapper.getIfAvailable();
		this.mapper = (endpoint != null) ? endpoint.get() : mapper.getIfAvailable(JsonMapper::new);
	}

	@Override
	public @Nullable Object toTree(Object result) {
		// the written output read back: what a raw value or a custom serializer writes is in it
		return this.mapper.readValue(this.mapper.writeValueAsBytes(result), Object.class);
	}

	@Override
	public boolean anyValue(Object result, Predicate<String> text, Predicate<Number> number) {
		try (JsonParser written = this.mapper.createParser(this.mapper.writeValueAsBytes(result))) {
			for (JsonToken token = written.nextToken(); token != null; token = written.nextToken()) {
				boolean passed = switch (token) {
					case PROPERTY_NAME, VALUE_STRING -> text.test(written.getString());
					case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number.test(written.getNumberValue());
					default -> false;
				};
				if (passed) {
					return true;
				}
			}
			return false;
		}
	}

}
