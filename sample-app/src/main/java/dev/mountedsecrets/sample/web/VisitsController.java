package dev.mountedsecrets.sample.web;

import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A per-tenant visit counter in Redis, which requires the password from {@code redis_password}.
 */
@RestController
class VisitsController {

	private final StringRedisTemplate redis;

	VisitsController(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@PostMapping("/api/visits")
	Map<String, Long> visit(@AuthenticationPrincipal Jwt token) {
		Long count = this.redis.opsForValue().increment("visits:" + NotesController.tenant(token));
		return Map.of("visits", (count != null) ? count : 0L);
	}

}
