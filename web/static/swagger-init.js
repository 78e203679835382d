// Starts Swagger UI from the locally served bundle (no inline script, no CDN).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
