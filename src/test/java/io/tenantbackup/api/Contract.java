package io.tenantbackup.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** rest-assured requests whose request and response are validated against openapi/backup.yaml. */
public final class Contract {

    private static final String SPEC = "openapi/backup.yaml";
    private static final OpenApiValidationFilter STRICT = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(SPEC).build());
    /** For deliberately bad requests: only the response must match the contract. */
    private static final OpenApiValidationFilter RESPONSE_ONLY = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(SPEC)
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request", ValidationReport.Level.IGNORE)
                            .build())
                    .build());

    private Contract() {
    }

    public static RequestSpecification api() {
        return RestAssured.given().filter(STRICT).contentType("application/json");
    }

    public static RequestSpecification badRequest() {
        return RestAssured.given().filter(RESPONSE_ONLY).contentType("application/json");
    }
}
