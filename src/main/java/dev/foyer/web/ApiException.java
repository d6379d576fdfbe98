package dev.foyer.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * A refusal of the admin API that the caller can act on. {@link ApiExceptionHandler} renders it as RFC 9457
 * {@code application/problem+json}, with field-level messages where there are any.
 */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final List<FieldProblem> fieldProblems;

	public ApiException(HttpStatus status, String detail, List<FieldProblem> fieldProblems) {
		super(detail);
		this.status = status;
		this.fieldProblems = List.copyOf(fieldProblems);
	}

	public static ApiException notFound(String what) {
		return new ApiException(HttpStatus.NOT_FOUND, what + " not found", List.of());
	}

	public static ApiException conflict(String detail) {
		return new ApiException(HttpStatus.CONFLICT, detail, List.of());
	}

	public static ApiException forbidden(String detail) {
		return new ApiException(HttpStatus.FORBIDDEN, detail, List.of());
	}

	public static ApiException invalid(String field, String message) {
		return invalid(List.of(new FieldProblem(field, message)));
	}

	public static ApiException invalid(List<FieldProblem> problems) {
		return new ApiException(HttpStatus.BAD_REQUEST, "The request has invalid fields", problems);
	}

	public HttpStatus status() {
		return this.status;
	}

	public List<FieldProblem> fieldProblems() {
		return this.fieldProblems;
	}

	/** One invalid field: its JSON name (or path) and what is wrong with it. */
	public record FieldProblem(String field, String message) {
	}

}
