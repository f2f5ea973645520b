// Starts Swagger UI on /docs (kept out of the HTML so the CSP can forbid inline scripts).
window.addEventListener('load', () => {
  const root = document.getElementById('swagger-ui');
  window.SwaggerUIBundle({ url: root.dataset.specUrl, domNode: root, deepLinking: true, persistAuthorization: true, validatorUrl: null });
});
