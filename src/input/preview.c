/* The photo as a page shows it (needlecheck_input.h): the file itself
 * when a browser shows it upright and it is small, else a small gray
 * JPEG made from it. */
#include <stdlib.h>
#include <string.h>

#include "needlecheck_input.h"
#include "input/image.h"
#include "input/ocr.h"

int ndl_photo_preview(const void *data, size_t len, ndl_photo_preview_image *img,
		      ndl_error *err)
{
	memset(img, 0, sizeof(*img));
	static const char *const mime[] = {
		[NDL_IMAGE_PNG] = "image/png", [NDL_IMAGE_JPEG] = "image/jpeg",
		[NDL_IMAGE_WEBP] = "image/webp"};
	ndl_image_format f = ndl_image_sniff(data, len);
	/* TIFF is shown by no browser; a turned photo would be shown
	 * upright by some and not by others, its boxes misplaced */
	if (f != NDL_IMAGE_TIFF && f != NDL_IMAGE_UNKNOWN &&
	    len <= NDL_PHOTO_PREVIEW_BYTES && ndl_image_orientation(data, len) == 1) {
		img->mime = mime[f];
		img->data = data;
		img->len = len;
		return 0;
	}
	if (ndl_image_preview(data, len, NDL_PHOTO_PREVIEW_SIDE, &img->owned,
			      &img->len, err) != 0)
		return -1;
	img->mime = "image/jpeg";
	img->data = img->owned;
	img->made = 1;
	return 0;
}

void ndl_photo_preview_free(ndl_photo_preview_image *img)
{
	free(img->owned);
	memset(img, 0, sizeof(*img));
}
