// Starts Swagger UI on the API docs page (in a file: the CSP forbids inline script).
window.addEventListener("DOMContentLoaded", function () {
  window.SwaggerUIBundle({
    url: document.body.dataset.spec,
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
});
