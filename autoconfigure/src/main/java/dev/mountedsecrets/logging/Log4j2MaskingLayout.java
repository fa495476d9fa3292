package dev.mountedsecrets.logging;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.ServedSecrets;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.impl.LocationAware;
import org.apache.logging.log4j.core.layout.ByteBufferDestination;
import org.jspecify.annotations.Nullable;

/**
 * The layout of a Log4j2 appender, masked: the text another layout makes of an event (a
 * pattern, JSON, any converter, context entry, marker or stack trace) with every served
 * secret replaced by {@value ServedSecrets#MASK}, before it becomes bytes.
 */
final class Log4j2MaskingLayout implements StringLayout, LocationAware {

	private final StringLayout delegate;

	Log4j2MaskingLayout(StringLayout delegate) {
		this.delegate = delegate;
	}

	@Override
	public String toSerializable(LogEvent event) {
		return mask(this.delegate.toSerializable(event));
	}

	@Override
	public byte[] toByteArray(LogEvent event) {
		return toSerializable(event).getBytes(getCharset());
	}

	@Override
	public void encode(LogEvent event, ByteBufferDestination destination) {
		byte[] bytes = toByteArray(event);
		destination.writeBytes(bytes, 0, bytes.length);
	}

	@Override
	public byte @Nullable [] getHeader() {
		return mask(this.delegate.getHeader());
	}

	@Override
	public byte @Nullable [] getFooter() {
		return mask(this.delegate.getFooter());
	}

	@Override
	public String getContentType() {
		return this.delegate.getContentType();
	}

	@Override
	public Map<String, String> getContentFormat() {
		return this.delegate.getContentFormat();
	}

	@Override
	public Charset getCharset() {
		return this.delegate.getCharset();
	}

	@Override
	public boolean requiresLocation() {
		return this.delegate instanceof LocationAware locationAware && locationAware.requiresLocation();
	}

	@Override
	public String toString() {
		return "masked " + this.delegate;
	}

	private static String mask(String text) {
		List<ServedSecrets> registries = MaskingRegistries.inUse();
		return registries.isEmpty() ? text : MaskingRegistries.mask(text, registries);
	}

	private byte @Nullable [] mask(byte @Nullable [] bytes) {
		if (bytes == null) {
			return null;
		}
		String text = new String(bytes, getCharset());
		String masked = mask(text);
		return (masked.equals(text)) ? bytes : masked.getBytes(getCharset());
	}

}
