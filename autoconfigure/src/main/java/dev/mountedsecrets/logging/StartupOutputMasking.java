package dev.mountedsecrets.logging;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;

import dev.mountedsecrets.ServedSecrets;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

/**
 * Masks the secrets of an application while Spring Boot sets up logging from its environment,
 * which a property bound to a secret ({@code logging.level.root=${secrets.file.key}}) can
 * make fail: runs just before Boot's logging listener, puts the log masking in place
 * (so the failure analysis logged is masked) and, until the context is initialized or the
 * start has failed, writes {@code System.out} and {@code System.err} through a mask (Boot and
 * Logback print logging's own failures there, not to a logger). Restores both streams, unless
 * something else replaced them since.
 */
public class StartupOutputMasking implements GenericApplicationListener {

	private @Nullable Streams streams;

	/**
	 * The registry of the application, held as long as the application is: the registries
	 * are otherwise held weakly, by an environment that a start failing in its preparation no
	 * longer reaches, and the failure is analysed (and masked with them) after that.
	 */
	private @Nullable ServedSecrets served;

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		Class<?> type = eventType.getRawClass();
		return type != null && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
				|| ApplicationContextInitializedEvent.class.isAssignableFrom(type)
				|| ApplicationFailedEvent.class.isAssignableFrom(type));
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			ServedSecrets served = ServedSecrets.in(prepared.getEnvironment());
			if (served == null) {
				return;
			}
			this.served = served;
			LogMasking.install(served, prepared.getEnvironment());
			synchronized (this) {
				if (this.streams == null) {
					this.streams = Streams.mask(served);
				}
			}
		}
		else {
			Streams masked;
			synchronized (this) {
				masked = this.streams;
				this.streams = null;
			}
			if (masked != null) {
				masked.restore();
			}
			if (event instanceof ApplicationFailedEvent) {
				// the failure is reported next, through whatever logging was set up
				LogMasking.refresh();
			}
		}
	}

	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER - 1;
	}

	/** The standard streams as they were, and the masked ones put in their place. */
	private record Streams(PrintStream out, PrintStream err, PrintStream maskedOut, PrintStream maskedErr,
			MaskingOutputStream outMask, MaskingOutputStream errMask) {

		static Streams mask(ServedSecrets served) {
			PrintStream out = System.out;
			PrintStream err = System.err;
			Charset outCharset = charset("stdout.encoding", "sun.stdout.encoding");
			Charset errCharset = charset("stderr.encoding", "sun.stderr.encoding");
			MaskingOutputStream outMask = new MaskingOutputStream(out, served, outCharset);
			MaskingOutputStream errMask = new MaskingOutputStream(err, served, errCharset);
			Streams streams = new Streams(out, err, new PrintStream(outMask, true, outCharset),
					new PrintStream(errMask, true, errCharset), outMask, errMask);
			System.setOut(streams.maskedOut);
			System.setErr(streams.maskedErr);
			return streams;
		}

		void restore() {
			if (System.out == this.maskedOut) {
				System.setOut(this.out);
			}
			if (System.err == this.maskedErr) {
				System.setErr(this.err);
			}
			this.maskedOut.flush();
			this.maskedErr.flush();
			try {
				this.outMask.release();
				this.errMask.release();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		private static Charset charset(String... properties) {
			for (String property : properties) {
				String name = System.getProperty(property);
				if (name != null && Charset.isSupported(name)) {
					return Charset.forName(name);
				}
			}
			return Charset.defaultCharset();
		}

	}

}
