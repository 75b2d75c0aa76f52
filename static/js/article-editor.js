/* Article form: once an image is uploaded into the text, CKEditor opens its "text alternative"
   field at once, so that the journalist describes the image while it is in front of them.
   Registered before CKEditor's own DOMContentLoaded handler creates the editors. */
document.addEventListener("DOMContentLoaded", function () {
  if (typeof window.ckeditorRegisterCallback !== "function") {
    return;
  }
  window.ckeditorRegisterCallback("id_body", function (editor) {
    if (!editor.plugins.has("ImageUploadEditing") || !editor.plugins.has("ImageTextAlternativeUI")) {
      return;
    }
    editor.plugins.get("ImageUploadEditing").on("uploadComplete", function () {
      // After CKEditor has set the address and selected the new image.
      window.setTimeout(function () {
        editor.plugins.get("ImageTextAlternativeUI")._showForm();
      }, 0);
    }, { priority: "lowest" });
  });
});
