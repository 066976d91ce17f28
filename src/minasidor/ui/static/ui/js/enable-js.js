// Marks the page as having JavaScript before anything is drawn, so the component library can
// enhance its components. Loaded as a file, not inline, to keep the Content-Security-Policy strict.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
