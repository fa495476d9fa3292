package dev.mountedsecrets.logging;

import java.lang.reflect.Field;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.mountedsecrets.RecentLine;
import dev.mountedsecrets.ServedSecrets;
import org.jspecify.annotations.Nullable;

/**
 * The encoder of a Logback appender, masked: the bytes another encoder produces (a pattern, a
 * structured format, any converter, MDC entry, key-value pair, marker or stack trace) are read
 * as text in that encoder's charset (ASCII bytes as they are, without decoding them), and every
 * served secret in them is replaced by {@value ServedSecrets#MASK}. Bytes that show no secret
 * are returned as they were. Each line is looked at knowing the last clean line this encoder
 * wrote ({@link RecentLine}).
 * @param <E> the event type
 */
final class MaskingEncoder<E> extends EncoderBase<E> {

	private final Encoder<E> delegate;

	private volatile Charset charset;

	/** What this encoder last wrote that showed no secret, for the one registry in use. */
	private final RecentLine recent = new RecentLine();

	MaskingEncoder(Encoder<E> delegate) {
		this.delegate = delegate;
		this.charset = charsetOf(delegate);
		setContext(delegate.getContext());
	}

	/** The encoder this one masks. */
	Encoder<E> delegate() {
		return this.delegate;
	}

	@Override
	public byte[] headerBytes() {
		return mask(this.delegate.headerBytes());
	}

	@Override
	public byte[] encode(E event) {
		return mask(this.delegate.encode(event));
	}

	@Override
	public byte[] footerBytes() {
		return mask(this.delegate.footerBytes());
	}

	@Override
	public void start() {
		this.charset = charsetOf(this.delegate);
		this.delegate.start();
	}

	@Override
	public void stop() {
		this.delegate.stop();
	}

	@Override
	public boolean isStarted() {
		return this.delegate.isStarted();
	}

	private byte @Nullable [] mask(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length < ServedSecrets.MIN_EMBEDDED_LENGTH) {
			return bytes;
		}
		List<ServedSecrets> registries = MaskingRegistries.inUse();
		if (registries.isEmpty()) {
			return bytes;
		}
		if (registries.size() == 1) {
			return registries.get(0).mask(bytes, this.charset, this.recent);
		}
		return MaskingRegistries.mask(bytes, this.charset, registries);
	}

	/**
	 * The charset an encoder writes: a layout-wrapping encoder's own; else the one it tells
	 * through a {@code getCharset()} method or holds in a {@code charset} field (Boot's
	 * structured log encoder takes {@code logging.charset.*} through a setter only); else
	 * UTF-8 (the default of Boot's structured log encoder and of Logback's JSON encoder).
	 */
	static Charset charsetOf(Encoder<?> encoder) {
		if (encoder instanceof LayoutWrappingEncoder<?> layoutWrapping) {
			Charset charset = layoutWrapping.getCharset();
			return (charset != null) ? charset : Charset.defaultCharset();
		}
		Charset declared = declaredCharset(encoder);
		return (declared != null) ? declared : StandardCharsets.UTF_8;
	}

	private static @Nullable Charset declaredCharset(Object encoder) {
		try {
			if (encoder.getClass().getMethod("getCharset").invoke(encoder) instanceof Charset charset) {
				return charset;
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// no such method: look for the field
		}
		for (Class<?> type = encoder.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
			try {
				Field field = type.getDeclaredField("charset");
				return (field.getType() == Charset.class && field.trySetAccessible()) ? (Charset) field.get(encoder)
						: null;
			}
			catch (NoSuchFieldException ex) {
				// look in the superclass
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return null;
			}
		}
		return null;
	}

}
