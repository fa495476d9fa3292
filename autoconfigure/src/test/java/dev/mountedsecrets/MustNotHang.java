package dev.mountedsecrets;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

/**
 * A test of a "nothing hangs" promise (link loops, FIFOs, the read timeout): it fails after a
 * minute instead of hanging the build. It runs on a thread of its own, so that a wait no
 * interrupt reaches (a thread blocked in {@code open()}, a loop that never looks at its
 * interrupt flag) still ends the test. Every other test has the suite's default limit
 * ({@code junit-platform.properties}).
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public @interface MustNotHang {

}
