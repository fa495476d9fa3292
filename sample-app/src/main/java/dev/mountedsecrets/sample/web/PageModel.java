package dev.mountedsecrets.sample.web;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page's header shows: who is signed in, their tenant, and whether they may open
 * the dashboard.
 */
@ControllerAdvice(annotations = Controller.class)
class PageModel {

	@ModelAttribute
	void signedIn(@AuthenticationPrincipal @Nullable OAuth2User user, @Nullable Authentication authentication,
			Model model) {
		if (user != null && authentication != null) {
			model.addAttribute("userName", user.getName());
			model.addAttribute("tenant", TokenController.tenantOf(user));
			model.addAttribute("ops", authentication.getAuthorities()
				.stream()
				.anyMatch((authority) -> "ROLE_OPS".equals(authority.getAuthority())));
		}
	}

}
